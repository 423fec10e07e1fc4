import VaultIO
/// Every repository path of reference §1, relative to the repository root (the `Storage` root, which is
/// `repo-path`). Pure string functions; nothing here touches storage.
public struct RepositoryLayout: Sendable, Equatable {
    public let stanza: String

    public init(stanza: String) { self.stanza = stanza }

    // MARK: archive

    /// `archive/<stanza>`.
    public var archivePath: String { "archive/\(stanza)" }
    /// `archive/<stanza>/archive.info` (its copy adds `.copy`).
    public var archiveInfoPath: String { "\(archivePath)/archive.info" }
    /// `archive/<stanza>/<archive id>`, e.g. `archive/main/15-1`.
    public func archiveIdPath(_ archiveId: String) -> String { "\(archivePath)/\(archiveId)" }

    /// The directory holding a WAL name: `archive/<stanza>/<id>/<first 16 chars>` for names starting with 24 hex
    /// characters (segments, partials, `.backup` files), else the archive id directory (history files).
    public func walDirectory(archiveId: String, walName: String) -> String {
        guard WalArchiveName.startsWithSegment(walName) else { return archiveIdPath(archiveId) }
        return "\(archiveIdPath(archiveId))/\(String(walName.prefix(16)))"
    }

    /// The stored name of a segment: `<segment>-<sha1><ext>`.
    public static func walFileName(segment: String, sha1: String, compressType: CompressionType) -> String {
        "\(segment)-\(sha1)\(compressType.fileExtension)"
    }

    /// Full path of an archived segment (or `.partial`).
    public func walFilePath(archiveId: String, segment: String, sha1: String, compressType: CompressionType) -> String {
        "\(walDirectory(archiveId: archiveId, walName: segment))/\(RepositoryLayout.walFileName(segment: segment, sha1: sha1, compressType: compressType))"
    }

    /// Path of a file stored under its own name (`.history`, `.backup`): no checksum suffix, no compression.
    public func archiveFilePath(archiveId: String, name: String) -> String {
        "\(walDirectory(archiveId: archiveId, walName: name))/\(name)"
    }

    /// `archive/<stanza>/<id>/<8 hex timeline>.history`.
    public func historyFilePath(archiveId: String, timeline: UInt32) -> String {
        var hex = String(timeline, radix: 16, uppercase: true)
        while hex.count < 8 { hex = "0" + hex }
        return "\(archiveIdPath(archiveId))/\(hex).history"
    }

    // MARK: backup

    /// `backup/<stanza>`.
    public var backupPath: String { "backup/\(stanza)" }
    /// `backup/<stanza>/backup.info`.
    public var backupInfoPath: String { "\(backupPath)/backup.info" }
    /// `backup/<stanza>/latest` (POSIX symlink to the newest label; informational).
    public var latestLinkPath: String { "\(backupPath)/latest" }
    /// `backup/<stanza>/backup.history`.
    public var backupHistoryPath: String { "\(backupPath)/backup.history" }
    /// `backup/<stanza>/<label>`.
    public func setPath(_ label: String) -> String { "\(backupPath)/\(label)" }
    /// `backup/<stanza>/<label>/backup.manifest`.
    public func manifestPath(_ label: String) -> String { "\(setPath(label))/backup.manifest" }
    /// `backup/<stanza>/<label>/backup.manifest.copy`.
    public func manifestCopyPath(_ label: String) -> String { manifestPath(label) + RepositoryFormat.copyExtension }
    /// `backup/<stanza>/backup.history/<YYYY>/<label>.manifest.gz`, YYYY the first four characters of the label.
    public func historyManifestPath(_ label: String) -> String {
        "\(backupHistoryPath)/\(String(label.prefix(4)))/\(label).manifest.gz"
    }

    /// Where a manifest file's bytes are stored: `backup/<stanza>/<holding label>/<name><ext>`, the holding label
    /// being the file's reference or the set itself.
    public func setFilePath(label: String, manifestName: String, compressType: CompressionType) -> String {
        "\(setPath(label))/\(manifestName)\(compressType.fileExtension)"
    }

    /// The stored path of `file` of `manifest` (follows `reference`; bundled files live in `bundlePath`).
    public func repositoryPath(of file: ManifestFile, in manifest: Manifest) -> String {
        if let bundleId = file.bundleId { return bundlePath(label: manifest.holdingLabel(of: file), bundleId: bundleId) }
        return setFilePath(label: manifest.holdingLabel(of: file), manifestName: file.name,
                           compressType: manifest.options.compressType)
    }

    /// `backup/<stanza>/<label>/bundle/<id>`.
    public func bundlePath(label: String, bundleId: UInt64) -> String { "\(setPath(label))/bundle/\(bundleId)" }
}
