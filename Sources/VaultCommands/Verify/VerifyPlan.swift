import VaultCore
import VaultIO
import VaultPostgres
import VaultRepository

/// The pure decisions of `verify` (reference §9): which stored files to check and how, and what the checks mean.
///
/// From the WAL listed under each archive id and the manifests of the backups to verify, it builds one
/// `FileCheck` per distinct stored file (a file that later backups reference is read once), largest first. After
/// the checks ran, `report` turns their results into a `VerifyReport`: WAL duplicates (never checked, as in
/// pgBackRest), contiguous ranges and gaps per timeline, the segment size learned from the first valid segment's
/// page header (then every segment must have that size), each backup's counts with the bad files of the backups it
/// references, and, beyond 2.45, the segments of each backup's archive-start..archive-stop that the archive lacks.
/// With `restrictWal` (`--set`) only the WAL inside the verified backups' ranges is checked.
public struct VerifyPlan: Sendable {
    /// How to check one stored file.
    public struct FileCheck: Sendable, Equatable {
        /// Repository path (a segment, a backup file, or a bundle).
        public var path: String
        /// Where the file's bytes start and how many there are (bundles); whole file otherwise.
        public var offset: UInt64 = 0
        public var length: UInt64?
        public var cipherPass: String?
        public var compressType: CompressionType
        /// SHA-1 of the plain content: the one in a WAL name, or the manifest `checksum`.
        public var expectedChecksum: String
        /// Manifest `size`; nil for WAL, whose size is judged against the segment size afterwards.
        public var expectedSize: UInt64?
        /// Manifest `rck` and `repo-size`, when the manifest records them.
        public var expectedRepoChecksum: String?
        public var expectedRepoSize: UInt64?
        /// Stored size, for largest-first ordering.
        public var weight: UInt64
        /// Plain bytes to keep from the start (a WAL segment's page header); 0 for backup files.
        public var headerSize: Int

        public init(path: String, offset: UInt64 = 0, length: UInt64? = nil, cipherPass: String?,
                    compressType: CompressionType, expectedChecksum: String, expectedSize: UInt64? = nil,
                    expectedRepoChecksum: String? = nil, expectedRepoSize: UInt64? = nil, weight: UInt64,
                    headerSize: Int = 0) {
            self.path = path
            self.offset = offset
            self.length = length
            self.cipherPass = cipherPass
            self.compressType = compressType
            self.expectedChecksum = expectedChecksum
            self.expectedSize = expectedSize
            self.expectedRepoChecksum = expectedRepoChecksum
            self.expectedRepoSize = expectedRepoSize
            self.weight = weight
            self.headerSize = headerSize
        }

        /// Identifies the stored bytes: path and offset (bundled files share a path).
        public var key: String { offset == 0 ? path : "\(path)@\(offset)" }
    }

    /// One archived segment as listed.
    public struct WalFile: Sendable, Equatable {
        /// Repository path.
        public var path: String
        public var name: WalArchiveName
        public var storedSize: UInt64

        public init(path: String, name: WalArchiveName, storedSize: UInt64) {
            self.path = path
            self.name = name
            self.storedSize = storedSize
        }
    }

    /// The segments of one archive id, as listed.
    public struct ArchiveListing: Sendable, Equatable {
        public var archiveId: String
        public var files: [WalFile]

        public init(archiveId: String, files: [WalFile]) {
            self.archiveId = archiveId
            self.files = files
        }
    }

    /// What was found of one backup's manifest.
    public enum ManifestState: Sendable {
        case loaded(Manifest)
        /// Neither `backup.manifest` nor its copy exists.
        case missing
        /// Not in backup.info and without `backup.manifest`: a backup still running (or abandoned), skipped.
        case inProgress
        /// Both files exist but neither loads.
        case unusable
    }

    public struct BackupFacts: Sendable {
        public var label: String
        public var state: ManifestState
        /// Problems with the manifest or its copy (the backup is invalid even when one of them loaded).
        public var manifestProblems: [VerifyReport.InvalidFile]

        public init(label: String, state: ManifestState, manifestProblems: [VerifyReport.InvalidFile] = []) {
            self.label = label
            self.state = state
            self.manifestProblems = manifestProblems
        }
    }

    /// What becomes of one manifest file.
    enum FileDisposition: Sendable {
        /// Judged by the check with this key.
        case check(String)
        /// Zero-length and bundled: nothing is stored, so nothing can be wrong.
        case validUnread
        /// Block incremental: a format pgvault does not read.
        case unsupported
    }

    /// PostgreSQL's default, used to walk ranges when no valid segment gives the size.
    public static let defaultSegmentSize: UInt32 = 16 * 1024 * 1024

    /// Every distinct stored file to check, largest first.
    public let checks: [FileCheck]
    public let archives: [ArchiveListing]
    public let backups: [BackupFacts]
    /// Per backup label, each manifest file's disposition in manifest order.
    let dispositions: [String: [FileDisposition]]
    let checksByKey: [String: FileCheck]

    public init(archives: [ArchiveListing], archiveCipherPass: String?, backups: [BackupFacts], layout: RepositoryLayout,
                restrictWal: Bool = false) {
        var archives = archives
        if restrictWal {
            var windows: [String: [(String, String)]] = [:]
            for backup in backups {
                guard case .loaded(let manifest) = backup.state, let start = manifest.backup.archiveStart,
                      let stop = manifest.backup.archiveStop else { continue }
                windows[manifest.db.archiveId, default: []].append((start, stop))
            }
            for index in archives.indices {
                let ranges = windows[archives[index].archiveId] ?? []
                archives[index].files.removeAll { file in
                    !ranges.contains { !ByteOrder.precedes(file.name.segment, $0.0) && !ByteOrder.precedes($0.1, file.name.segment) }
                }
            }
        }
        for index in archives.indices {
            archives[index].files.sort { ByteOrder.precedes($0.name.fileName, $1.name.fileName) }
        }
        var checks: [String: FileCheck] = [:]
        for archive in archives {
            let duplicates = Self.duplicates(archive.files)
            for file in archive.files where !duplicates.contains(Self.segmentKey(file.name)) {
                let check = FileCheck(path: file.path, cipherPass: archiveCipherPass, compressType: file.name.compressType,
                                      expectedChecksum: file.name.sha1, weight: file.storedSize,
                                      headerSize: VerifyFileJob.headerSize)
                checks[check.key] = check
            }
        }
        var dispositions: [String: [FileDisposition]] = [:]
        for backup in backups {
            guard case .loaded(let manifest) = backup.state else { continue }
            let unsupportedSet = manifest.backup.blockIncr || manifest.backup.bundleRaw
            dispositions[backup.label] = manifest.files.map { file in
                if unsupportedSet || file.blockIncrSize != nil { return .unsupported }
                let bundled = file.bundleId != nil || manifest.backup.bundle
                if file.size == 0 && bundled { return .validUnread }
                let check = FileCheck(
                    path: layout.repositoryPath(of: file, in: manifest), offset: file.bundleId == nil ? 0 : file.bundleOffset,
                    length: file.bundleId == nil ? nil : file.repoSize, cipherPass: manifest.cipherPass,
                    compressType: manifest.options.compressType, expectedChecksum: file.checksum, expectedSize: file.size,
                    expectedRepoChecksum: file.repoChecksum,
                    expectedRepoSize: file.repoChecksum != nil || file.bundleId != nil ? file.repoSize : nil,
                    weight: file.repoSize)
                checks[check.key] = check
                return .check(check.key)
            }
        }
        self.archives = archives
        self.backups = backups
        self.dispositions = dispositions
        self.checksByKey = checks
        self.checks = checks.values.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : ByteOrder.precedes($0.key, $1.key) }
    }

    // MARK: set selection

    /// The labels to verify: all of `labels` (ascending), or only `--set` (`latest` = the newest of backup.info).
    /// An unknown label, or `latest` with no backup, is `.backupSetInvalid` (075).
    public static func selectLabels(_ labels: [String], backupInfoLabels: [String], set: String?) throws -> [String] {
        guard let set else { return labels }
        if set == "latest" {
            guard let newest = backupInfoLabels.last else {
                throw PGVError(.backupSetInvalid, "no backup set to verify", hint: "take a backup first")
            }
            return [newest]
        }
        guard labels.contains(where: { ByteOrder.same($0, set) }) else {
            throw PGVError(.backupSetInvalid, "backup set \(set) is not valid",
                           hint: "run 'info' to list the backup sets of the stanza")
        }
        return [set]
    }

    // MARK: info files and manifests

    /// archive.info and backup.info must name the same current database and the same history (id, system id,
    /// version per entry); the message says which part differs, nil when they agree.
    public static func historyMismatch(archive: ArchiveInfo, backup: BackupInfo) -> String? {
        let current = backup.current
        guard archive.current.id == current.id, archive.current.systemId == current.systemId,
              archive.current.version == current.version else {
            return "archive and backup database versions do not match"
        }
        let archiveHistory = archive.history.map { "\($0.id)/\($0.systemId)/\($0.version)" }
        let backupHistory = backup.history.map { "\($0.id)/\($0.systemId)/\($0.version)" }
        return archiveHistory == backupHistory ? nil : "archive and backup history lists do not match"
    }

    /// Why a loaded manifest cannot be used: it names another label, or a database the history does not hold.
    public static func manifestProblem(_ manifest: Manifest, label: String, archiveInfo: ArchiveInfo,
                                       path: String) -> VerifyReport.InvalidFile? {
        guard ByteOrder.same(manifest.backup.label, label) else {
            return VerifyReport.InvalidFile(path: path, reason: .other,
                                            detail: "manifest label '\(manifest.backup.label)' does not match its directory")
        }
        let db = manifest.db
        guard archiveInfo.history.contains(where: { $0.id == db.id && $0.systemId == db.systemId && $0.version == db.version })
        else {
            return VerifyReport.InvalidFile(
                path: path, reason: .other, detail: "database (id \(db.id), version \(db.version), system-id "
                    + "\(db.systemId)) is not in the archive.info history")
        }
        return nil
    }

    /// `^[0-9]+(\.[0-9]+)*-[0-9]+$`: an archive id directory (`15-1`, `9.6-2`).
    public static func isArchiveId(_ name: String) -> Bool {
        guard let dash = name.lastIndex(of: "-") else { return false }
        let version = name[..<dash], id = name[name.index(after: dash)...]
        let digits: (Substring) -> Bool = { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        return digits(id) && version.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(digits)
    }

    // MARK: WAL

    /// Segment and partial flag: two stored files with the same key are duplicates.
    static func segmentKey(_ name: WalArchiveName) -> String { name.segment + (name.partial ? ".partial" : "") }

    /// Keys stored more than once.
    static func duplicates(_ files: [WalFile]) -> Set<String> {
        var seen = Set<String>(), repeated = Set<String>()
        for file in files where !seen.insert(segmentKey(file.name)).inserted { repeated.insert(segmentKey(file.name)) }
        return repeated
    }

    /// Contiguous runs and the holes between them, per timeline, for segments of `segmentSize` bytes.
    public static func ranges(of segments: [WalSegmentName], segmentSize: UInt32)
        -> (ranges: [VerifyReport.WalRange], gaps: [VerifyReport.WalRange]) {
        let sorted = Set(segments).sorted()
        var ranges: [VerifyReport.WalRange] = [], gaps: [VerifyReport.WalRange] = []
        guard var start = sorted.first else { return ([], []) }
        var last = start
        for segment in sorted.dropFirst() {
            let expected = last.next(segmentSize: segmentSize)
            if segment == expected { last = segment; continue }
            ranges.append(VerifyReport.WalRange(start: start.name, stop: last.name))
            if segment.timeline == last.timeline, let before = segment.previous(segmentSize: segmentSize) {
                gaps.append(VerifyReport.WalRange(start: expected.name, stop: before.name))
            }
            start = segment
            last = segment
        }
        ranges.append(VerifyReport.WalRange(start: start.name, stop: last.name))
        return (ranges, gaps)
    }

    /// The segments of `start`...`stop` (same timeline) not in `present`, as ranges. Empty when the names do not
    /// parse or `stop` precedes `start`.
    public static func missing(from start: String, to stop: String, present: Set<String>, segmentSize: UInt32)
        -> [VerifyReport.WalRange] {
        guard let first = WalSegmentName(start), let last = WalSegmentName(stop), first.timeline == last.timeline,
              first <= last else { return [] }
        var result: [VerifyReport.WalRange] = []
        var open: (WalSegmentName, WalSegmentName)?
        var segment = first
        while true {
            if present.contains(segment.name) {
                if let run = open { result.append(VerifyReport.WalRange(start: run.0.name, stop: run.1.name)) }
                open = nil
            } else {
                open = (open?.0 ?? segment, segment)
            }
            if segment == last { break }
            segment = segment.next(segmentSize: segmentSize)
        }
        if let run = open { result.append(VerifyReport.WalRange(start: run.0.name, stop: run.1.name)) }
        return result
    }

    /// The segment size in the long page header of `header` (a power of two from 1 MiB to 1 GiB), else nil.
    public static func segmentSize(header: [UInt8]) -> UInt32? {
        guard let parsed = try? WalPageHeader(bytes: header, path: "") else { return nil }
        let size = parsed.segmentSize
        guard size >= 1 << 20, size <= 1 << 30, size & (size - 1) == 0 else { return nil }
        return size
    }

    // MARK: report

    /// The report for the checks' results (keyed by `FileCheck.key`), added to `base` (which carries the stanza,
    /// repository and info-file findings).
    public func report(results: [String: VerifyFileJob.Result], base: VerifyReport) -> VerifyReport {
        var report = base
        var validSegments: [String: Set<String>] = [:]
        var segmentSizes: [String: UInt32] = [:]
        for archive in archives {
            let (result, valid, size) = archiveResult(archive, results: results)
            report.archives.append(result)
            validSegments[archive.archiveId] = valid
            segmentSizes[archive.archiveId] = size
        }
        for backup in backups {
            var result = VerifyReport.BackupResult(label: backup.label)
            result.manifestProblems = backup.manifestProblems
            switch backup.state {
            case .missing:
                result.status = .manifestMissing
            case .inProgress:
                result.status = .inProgress
            case .unusable:
                result.status = .invalid
            case .loaded(let manifest):
                result.archiveStart = manifest.backup.archiveStart
                result.archiveStop = manifest.backup.archiveStop
                for disposition in dispositions[backup.label] ?? [] {
                    switch disposition {
                    case .unsupported:
                        result.skipped += 1
                        continue
                    case .validUnread:
                        result.totalValid += 1
                    case .check(let key):
                        switch results[key]?.outcome {
                        case .valid?:
                            result.totalValid += 1
                        case .invalid(let reason, let detail)?:
                            result.invalidFiles.append(VerifyReport.InvalidFile(path: checksByKey[key]?.path ?? key,
                                                                                reason: reason, detail: detail))
                        case nil:
                            result.invalidFiles.append(VerifyReport.InvalidFile(path: checksByKey[key]?.path ?? key,
                                                                                reason: .other, detail: "not checked"))
                        }
                    }
                    result.totalChecked += 1
                }
                if let start = manifest.backup.archiveStart, let stop = manifest.backup.archiveStop {
                    let archiveId = manifest.db.archiveId
                    result.missingWal = Self.missing(from: start, to: stop, present: validSegments[archiveId] ?? [],
                                                     segmentSize: segmentSizes[archiveId] ?? Self.defaultSegmentSize)
                }
                if !result.invalidFiles.isEmpty || !result.missingWal.isEmpty || !result.manifestProblems.isEmpty {
                    result.status = .invalid
                }
            }
            report.backups.append(result)
        }
        return report
    }

    /// One archive id's result, the names of its valid complete segments and its segment size.
    private func archiveResult(_ archive: ArchiveListing, results: [String: VerifyFileJob.Result])
        -> (VerifyReport.ArchiveResult, Set<String>, UInt32) {
        var result = VerifyReport.ArchiveResult(archiveId: archive.archiveId)
        result.totalChecked = archive.files.count
        let duplicates = Self.duplicates(archive.files)
        result.duplicates = duplicates.sorted { ByteOrder.precedes($0, $1) }
        var segmentSize: UInt32?
        for file in archive.files where !duplicates.contains(Self.segmentKey(file.name)) {
            if let found = results[file.path], found.outcome == .valid, let size = Self.segmentSize(header: found.header) {
                segmentSize = size
                break
            }
        }
        var valid = Set<String>()
        for file in archive.files where !duplicates.contains(Self.segmentKey(file.name)) {
            guard let found = results[file.path] else {
                result.invalidFiles.append(VerifyReport.InvalidFile(path: file.path, reason: .other, detail: "not checked"))
                continue
            }
            switch found.outcome {
            case .valid:
                if let segmentSize, let size = found.size, size != UInt64(segmentSize) {
                    result.invalidFiles.append(VerifyReport.InvalidFile(
                        path: file.path, reason: .size, detail: "size \(size), expected segment size \(segmentSize)"))
                } else {
                    result.totalValid += 1
                    if !file.name.partial { valid.insert(file.name.segment) }
                }
            case .invalid(let reason, let detail):
                result.invalidFiles.append(VerifyReport.InvalidFile(path: file.path, reason: reason, detail: detail))
            }
        }
        let size = segmentSize ?? Self.defaultSegmentSize
        let segments = archive.files.compactMap { WalSegmentName($0.name.segment) }
        (result.ranges, result.gaps) = Self.ranges(of: segments, segmentSize: size)
        return (result, valid, size)
    }
}
