/// What `verify` found in one stanza of one repository (reference §9, plus pgvault's extras): the info files, every
/// archive id's WAL (counts, contiguous ranges, gaps, duplicates, bad files) and every backup's files (counts, bad
/// files, manifest problems and the WAL it needs that the archive lacks). Plain data, `Codable`, so a later metrics
/// command can persist it; `VerifyJsonRenderer` and `VerifyTextRenderer` turn it into the command's output.
public struct VerifyReport: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable { case ok, error }

    /// Why a file failed. Raw values are the JSON names.
    public enum Reason: String, Sendable, Codable, CaseIterable {
        /// Absent from the repository (or vanished before it was read).
        case missing
        /// The SHA-1 of the content (or of the stored bytes, `rck`) differs from what the name or manifest says.
        case checksum
        /// The size differs from the manifest's (or, for WAL, from the segment size).
        case size
        /// Unreadable: decryption, decompression or parsing failed.
        case other

        /// pgBackRest's wording in its log lines (`invalid checksum '…'`).
        public var logText: String {
            switch self {
            case .missing: "file missing"
            case .checksum: "invalid checksum"
            case .size: "invalid size"
            case .other: "invalid result"
            }
        }
    }

    /// One bad file, named by its path relative to the repository root.
    public struct InvalidFile: Sendable, Equatable, Codable {
        public var path: String
        public var reason: Reason
        /// What exactly was wrong (expected and actual checksum, the read error).
        public var detail: String?

        public init(path: String, reason: Reason, detail: String? = nil) {
            self.path = path
            self.reason = reason
            self.detail = detail
        }
    }

    /// Inclusive range of WAL segment names on one timeline.
    public struct WalRange: Sendable, Equatable, Codable {
        public var start: String
        public var stop: String

        public init(start: String, stop: String) {
            self.start = start
            self.stop = stop
        }
    }

    /// Counts of bad files by reason (the `missing: N, checksum invalid: N, …` line).
    public struct ReasonCounts: Sendable, Equatable, Codable {
        public var missing = 0
        public var checksum = 0
        public var size = 0
        public var other = 0

        public init(_ files: [InvalidFile]) {
            for file in files {
                switch file.reason {
                case .missing: missing += 1
                case .checksum: checksum += 1
                case .size: size += 1
                case .other: other += 1
                }
            }
        }

        public var total: Int { missing + checksum + size + other }
    }

    /// One archive id (`15-1`).
    public struct ArchiveResult: Sendable, Equatable, Codable {
        public var archiveId: String
        /// WAL files listed, duplicates included (pgBackRest's "total WAL checked").
        public var totalChecked = 0
        public var totalValid = 0
        /// Contiguous runs of segments present, per timeline, ascending.
        public var ranges: [WalRange] = []
        /// Segments missing between the first and last segment of a timeline.
        public var gaps: [WalRange] = []
        /// Segments stored more than once with different checksums (none of them is checked).
        public var duplicates: [String] = []
        public var invalidFiles: [InvalidFile] = []

        public init(archiveId: String) { self.archiveId = archiveId }

        public var counts: ReasonCounts { ReasonCounts(invalidFiles) }
        public var hasErrors: Bool { !invalidFiles.isEmpty || !gaps.isEmpty || !duplicates.isEmpty }
    }

    /// One backup set.
    public struct BackupResult: Sendable, Equatable, Codable {
        public enum Status: String, Sendable, Codable {
            case valid, invalid
            case manifestMissing = "manifest missing"
            case inProgress = "in-progress"
        }

        public var label: String
        public var status: Status = .valid
        /// Manifest files checked (referenced files included) and how many were good.
        public var totalChecked = 0
        public var totalValid = 0
        /// Files left unchecked because pgvault cannot read their format (block incremental).
        public var skipped = 0
        /// `backup-archive-start` / `-stop` from the manifest, nil for offline backups.
        public var archiveStart: String?
        public var archiveStop: String?
        /// Problems with `backup.manifest` or its copy.
        public var manifestProblems: [InvalidFile] = []
        /// Bad stored files, including files held by the earlier backups this one references.
        public var invalidFiles: [InvalidFile] = []
        /// Segments of archive-start..archive-stop that the archive lacks or holds only corrupt (beyond 2.45).
        public var missingWal: [WalRange] = []

        public init(label: String) { self.label = label }

        public var counts: ReasonCounts { ReasonCounts(invalidFiles) }
    }

    public var stanza: String
    /// Repository index verified (`repoN`).
    public var repo: Int
    /// Top-level failures (no usable info file, info files that disagree).
    public var problems: [String] = []
    /// Bad `archive.info`, `backup.info` or their copies.
    public var infoFiles: [InvalidFile] = []
    public var archives: [ArchiveResult] = []
    public var backups: [BackupResult] = []

    public init(stanza: String, repo: Int) {
        self.stanza = stanza
        self.repo = repo
    }

    /// Distinct problems found: a stored file shared by several backups counts once, as in pgBackRest.
    public var errorCount: Int {
        var files = Set<String>()
        var count = problems.count
        for file in infoFiles { files.insert(file.path) }
        for archive in archives {
            for file in archive.invalidFiles { files.insert(file.path) }
            count += archive.gaps.count + archive.duplicates.count
        }
        for backup in backups {
            for file in backup.manifestProblems + backup.invalidFiles { files.insert(file.path) }
            count += backup.missingWal.count
            if backup.status == .manifestMissing { count += 1 }
        }
        return count + files.count
    }

    public var status: Status { errorCount == 0 ? .ok : .error }
}
