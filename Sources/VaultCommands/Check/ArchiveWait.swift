import VaultCore
import VaultRepository

/// Waits for one WAL segment to appear in a repository (pgBackRest's `walSegmentFind` with a timeout), polling the
/// segment's directory listing. Used by check after its WAL switch.
enum ArchiveWait {
    /// The path of the archived segment relative to the repository root, e.g.
    /// `archive/main/15-1/0000000100000000/000000010000000000000003-<sha1>.lz4`.
    ///
    /// - Throws: `.archiveDuplicate` (045) when several copies exist, `.archiveTimeout` (082) after `timeout` seconds.
    static func find(segment: String, in repository: StanzaRepository, archiveId: String, timeout: Double) async throws -> String {
        let lookup = WalArchiveLookup(repository: repository, archiveId: archiveId)
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int64(timeout * 1000))
        var delay = Duration.milliseconds(50)
        while true {
            let found = try await lookup.find(segment: segment)
            if found.count > 1 {
                throw PGVError(.archiveDuplicate, "duplicates found in \(repository.label) archive for WAL segment \(segment): "
                                   + found.map(\.fileName).sorted().joined(separator: ", "),
                               hint: "are multiple primaries archiving to this stanza?")
            }
            if let name = found.first { return lookup.path(of: name) }
            if clock.now >= deadline { break }
            try await Task.sleep(for: min(delay, deadline - clock.now))
            delay = min(delay * 2, .milliseconds(500))
        }
        throw PGVError(.archiveTimeout, "WAL segment \(segment) was not archived to \(repository.label) before the "
                           + "\(Int64(timeout * 1000))ms timeout",
                       hint: "check the archive_command to ensure that all options are correct (especially --stanza); "
                           + "check the PostgreSQL server log for errors; run the 'start' command if the stanza was "
                           + "previously stopped")
    }
}
