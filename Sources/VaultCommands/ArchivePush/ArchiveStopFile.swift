import Glibc
import VaultCore

/// The stop files that make archive-push and archive-get refuse to run: `<lock-path>/all.stop` and
/// `<lock-path>/<stanza>.stop`, created by `stop` and removed by `start` (StopError [062]).
///
/// Temporary: replaced by the shared `StopFileCheck` from `StopStart/` once it lands.
enum ArchiveStopFile {
    /// Throws `.stop` (062) when either stop file exists; checked with `access(2)`, `all.stop` first.
    static func check(lockPath: String, stanza: String) throws {
        if access("\(lockPath)/all.stop", F_OK) == 0 {
            throw PGVError(.stop, "stop file exists for all stanzas")
        }
        if access("\(lockPath)/\(stanza).stop", F_OK) == 0 {
            throw PGVError(.stop, "stop file exists for stanza \(stanza)")
        }
    }
}
