import VaultCore
import VaultIO

/// What repo-get needs to read one repository file (pure): which passphrase decrypts it and how it is compressed.
///
/// The passphrase follows pgBackRest 2.45's pattern by path: `archive/<stanza>/archive.info[.copy]` and
/// `backup/<stanza>/backup.info[.copy]` use `repoN-cipher-pass`; other files under `archive/<stanza>/` use
/// archive.info's sub-passphrase; manifests and `backup.history` use backup.info's; files of a set use that set's
/// manifest's. `--cipher-pass` overrides; anything else on an encrypted repository is OptionInvalidValueError (032).
///
/// Decompression is pgvault's (pgBackRest 2.45 repo-get only decrypts): by the name's extension (`.gz`, `.lz4`,
/// `.zst`, `.bz2`), except that a file of a backup set is decompressed only when its extension is the one of the
/// set's `option-compress-type` (a PGDATA file may itself be called `x.gz`). `--raw` does neither.
struct RepoGetPlan: Sendable, Equatable {
    enum Passphrase: Sendable, Equatable {
        /// Not encrypted, or `--raw`.
        case notEncrypted
        /// `--cipher-pass`.
        case given(String)
        /// `repoN-cipher-pass`.
        case repository
        /// `[cipher] cipher-pass` of `archive/<stanza>/archive.info`.
        case archiveInfo(stanza: String)
        /// `[cipher] cipher-pass` of `backup/<stanza>/backup.info`.
        case backupInfo(stanza: String)
        /// `[cipher] cipher-pass` of `backup/<stanza>/<label>/backup.manifest` (loaded with backup.info's).
        case manifest(stanza: String, label: String)
    }

    var passphrase: Passphrase
    /// The set whose manifest decides compression (a file inside `backup/<stanza>/<label>/` other than its manifest).
    var setLabel: String?
    /// The stanza the path names (second component), when it names one.
    var stanza: String?
    /// The compression by the file name's extension; `.none` with `--raw`.
    var extensionCompression: CompressionType

    static func decide(path: String, encrypted: Bool, raw: Bool, cipherPass: String?,
                       stanzaOption: String?) throws -> RepoGetPlan {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let stanza = parts.count > 2 ? parts[1] : nil
        let isManifest = path.hasSuffix("backup.manifest") || path.hasSuffix("backup.manifest.copy")
        let setLabel = parts.count > 3 && parts[0] == "backup" && parts[2] != "backup.history" && !isManifest
            ? parts[2] : nil
        var plan = RepoGetPlan(passphrase: .notEncrypted, setLabel: raw ? nil : setLabel, stanza: stanza,
                               extensionCompression: raw ? .none : CompressionType.from(fileName: parts.last ?? ""))
        guard encrypted && !raw else { return plan }
        if let cipherPass {
            plan.passphrase = .given(cipherPass)
            return plan
        }
        guard let stanza else { throw undetermined(path) }
        if let stanzaOption, stanzaOption != stanza {
            throw PGVError(.optionInvalidValue, "stanza name '\(stanzaOption)' given in option doesn't match the given path")
        }
        switch parts[0] {
        case "archive":
            plan.passphrase = path.hasSuffix("archive.info") || path.hasSuffix("archive.info.copy")
                ? .repository : .archiveInfo(stanza: stanza)
        case "backup":
            if path.hasSuffix("backup.info") || path.hasSuffix("backup.info.copy") {
                plan.passphrase = .repository
            } else if parts[2] == "backup.history" || isManifest {
                plan.passphrase = .backupInfo(stanza: stanza)
            } else {
                plan.passphrase = .manifest(stanza: stanza, label: parts[2])
            }
        default:
            throw undetermined(path)
        }
        return plan
    }

    /// The compression to undo, given the set's `option-compress-type` when `setLabel` named one whose manifest
    /// loaded: the extension's only when it is the set's.
    func compression(setCompressType: CompressionType?) -> CompressionType {
        guard setLabel != nil, let setCompressType else { return extensionCompression }
        return extensionCompression == setCompressType ? setCompressType : .none
    }

    private static func undetermined(_ path: String) -> PGVError {
        PGVError(.optionInvalidValue, "unable to determine cipher passphrase for '\(path)'")
    }
}
