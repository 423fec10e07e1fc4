import Testing
import VaultCore
import VaultIO
import VaultPostgres
import VaultRepository
@testable import VaultCommands

@Suite struct VerifyPlanTests {
    static let full = "20250101-010101F"
    static let incr = "20250101-010101F_20250102-010101I"
    static let layout = RepositoryLayout(stanza: "main")
    static let mib16: UInt32 = 16 * 1024 * 1024
    static let sha = String(repeating: "a", count: 40)

    static func segment(_ name: String) -> WalSegmentName { WalSegmentName(name)! }

    static func wal(_ segment: String, archiveId: String = "15-1", partial: Bool = false, sha1: String = sha,
                    size: UInt64 = 100) -> VerifyPlan.WalFile {
        let name = WalArchiveName(segment: segment, partial: partial, sha1: sha1, compressType: .lz4)
        return VerifyPlan.WalFile(path: "archive/main/\(archiveId)/\(segment.prefix(16))/\(name.fileName)", name: name,
                                  storedSize: size)
    }

    static func file(_ name: String, size: UInt64 = 10, reference: String? = nil, repoSize: UInt64? = nil,
                     rck: String? = nil) -> ManifestFile {
        var file = ManifestFile(name: name, size: size, timestamp: 1, checksum: size == 0 ? nil : sha, repoSize: repoSize,
                                mode: 0o600, user: .name("postgres"), group: .name("postgres"))
        file.reference = reference
        file.repoChecksum = rck
        return file
    }

    static func manifest(_ label: String, files: [ManifestFile], start: String? = "000000010000000000000002",
                         stop: String? = "000000010000000000000003") -> Manifest {
        var backup = Manifest.Backup(label: label, type: try! BackupLabel(label).type, references: [],
                                     timestampStart: 1, timestampCopyStart: 1)
        backup.archiveStart = start
        backup.archiveStop = stop
        var options = Manifest.Options()
        options.compressType = .lz4
        var manifest = Manifest(backup: backup, db: PgHistory(id: 1, systemId: 7, version: "15", controlVersion: 1300,
                                                              catalogVersion: 202_209_061), options: options)
        manifest.cipherPass = "manifest-pass"
        manifest.files = files
        manifest.sortLists()
        return manifest
    }

    /// A 16 MiB segment's plain result, with a long page header announcing 16 MiB segments.
    static func walResult(_ outcome: VerifyFileJob.Outcome = .valid, size: UInt64 = 16 * 1024 * 1024) -> VerifyFileJob.Result {
        var header = [UInt8](repeating: 0, count: 40)
        header[0] = 0x10; header[1] = 0xD1  // PG 15 magic 0xD110
        header[2] = 0x02  // XLP_LONG_HEADER
        let segmentSize = mib16
        for index in 0..<4 { header[32 + index] = UInt8(truncatingIfNeeded: segmentSize >> (8 * UInt32(index))) }
        return VerifyFileJob.Result(outcome: outcome, size: size, checksum: sha, header: header)
    }

    static let fileValid = VerifyFileJob.Result(outcome: .valid, size: 10, checksum: sha, header: [])

    // MARK: ranges and gaps

    @Test func contiguousSegmentsMakeOneRangeAndNoGap() {
        let segments = ["000000010000000000000001", "000000010000000000000002", "000000010000000000000003"].map(Self.segment)
        let (ranges, gaps) = VerifyPlan.ranges(of: segments.reversed(), segmentSize: Self.mib16)
        #expect(ranges == [.init(start: "000000010000000000000001", stop: "000000010000000000000003")])
        #expect(gaps.isEmpty)
    }

    @Test func missingSegmentsInsideATimelineAreAGap() {
        let segments = ["000000010000000000000001", "000000010000000000000002", "000000010000000000000006"].map(Self.segment)
        let (ranges, gaps) = VerifyPlan.ranges(of: segments, segmentSize: Self.mib16)
        #expect(ranges == [.init(start: "000000010000000000000001", stop: "000000010000000000000002"),
                           .init(start: "000000010000000000000006", stop: "000000010000000000000006")])
        #expect(gaps == [.init(start: "000000010000000000000003", stop: "000000010000000000000005")])
    }

    @Test func aNewTimelineStartsARangeWithoutAGap() {
        let segments = ["000000010000000000000004", "000000010000000000000005", "000000020000000000000005",
                        "000000020000000000000006"].map(Self.segment)
        let (ranges, gaps) = VerifyPlan.ranges(of: segments, segmentSize: Self.mib16)
        #expect(ranges.count == 2)
        #expect(gaps.isEmpty)
    }

    @Test func theLogBoundaryIsContiguous() {
        // 16 MiB segments: 256 per log, so ...000000FF is followed by ...0001 00000000.
        let segments = ["0000000100000000000000FF", "000000010000000100000000"].map(Self.segment)
        #expect(VerifyPlan.ranges(of: segments, segmentSize: Self.mib16).gaps.isEmpty)
        let big = ["000000010000000000000003", "000000010000000100000000"].map(Self.segment)
        // 1 GiB segments: 4 per log, so 00000003 is the last of log 0.
        #expect(VerifyPlan.ranges(of: big, segmentSize: 1 << 30).gaps.isEmpty)
    }

    @Test func missingWalOfABackupIsReportedInRanges() {
        let present: Set<String> = ["000000010000000000000002", "000000010000000000000004"]
        let missing = VerifyPlan.missing(from: "000000010000000000000001", to: "000000010000000000000006",
                                         present: present, segmentSize: Self.mib16)
        #expect(missing == [.init(start: "000000010000000000000001", stop: "000000010000000000000001"),
                            .init(start: "000000010000000000000003", stop: "000000010000000000000003"),
                            .init(start: "000000010000000000000005", stop: "000000010000000000000006")])
        #expect(VerifyPlan.missing(from: "000000010000000000000002", to: "000000010000000000000002", present: present,
                                   segmentSize: Self.mib16).isEmpty)
        #expect(VerifyPlan.missing(from: "000000010000000000000005", to: "000000010000000000000002", present: [],
                                   segmentSize: Self.mib16).isEmpty)
    }

    @Test func segmentSizeComesFromTheLongPageHeader() {
        #expect(VerifyPlan.segmentSize(header: Self.walResult().header) == Self.mib16)
        #expect(VerifyPlan.segmentSize(header: [0x10, 0xD1]) == nil)
        #expect(VerifyPlan.segmentSize(header: [UInt8](repeating: 0, count: 40)) == nil)
    }

    // MARK: set selection

    @Test func setSelectsOneBackupOrTheNewest() throws {
        let labels = [Self.full, Self.incr]
        #expect(try VerifyPlan.selectLabels(labels, backupInfoLabels: labels, set: nil) == labels)
        #expect(try VerifyPlan.selectLabels(labels, backupInfoLabels: labels, set: "latest") == [Self.incr])
        #expect(try VerifyPlan.selectLabels(labels, backupInfoLabels: labels, set: Self.full) == [Self.full])
        #expect(throws: PGVError(.backupSetInvalid, "backup set 20990101-010101F is not valid",
                                 hint: "run 'info' to list the backup sets of the stanza")) {
            try VerifyPlan.selectLabels(labels, backupInfoLabels: labels, set: "20990101-010101F")
        }
        let error = #expect(throws: PGVError.self) { try VerifyPlan.selectLabels([], backupInfoLabels: [], set: "latest") }
        #expect(error?.code == .backupSetInvalid)
    }

    // MARK: checks

    @Test func walChecksUseTheArchivePassphraseAndTheNameChecksum() throws {
        let plan = VerifyPlan(archives: [.init(archiveId: "15-1", files: [Self.wal("000000010000000000000001")])],
                              archiveCipherPass: "archive-pass", backups: [], layout: Self.layout)
        let check = try #require(plan.checks.first)
        #expect(check.cipherPass == "archive-pass")
        #expect(check.compressType == .lz4)
        #expect(check.expectedChecksum == Self.sha)
        #expect(check.expectedSize == nil)
        #expect(check.headerSize == VerifyFileJob.headerSize)
    }

    @Test func aReferencedFileIsCheckedOnceAndLargestFirst() {
        let fullManifest = Self.manifest(Self.full, files: [Self.file("pg_data/a", repoSize: 5, rck: Self.sha),
                                                            Self.file("pg_data/b", size: 300, repoSize: 50)])
        let incrManifest = Self.manifest(Self.incr, files: [Self.file("pg_data/a", reference: Self.full, repoSize: 5,
                                                                      rck: Self.sha),
                                                            Self.file("pg_data/b", size: 300, repoSize: 60)])
        let plan = VerifyPlan(archives: [], archiveCipherPass: nil,
                              backups: [.init(label: Self.full, state: .loaded(fullManifest)),
                                        .init(label: Self.incr, state: .loaded(incrManifest))], layout: Self.layout)
        #expect(plan.checks.map(\.path) == ["backup/main/\(Self.incr)/pg_data/b.lz4", "backup/main/\(Self.full)/pg_data/b.lz4",
                                            "backup/main/\(Self.full)/pg_data/a.lz4"])
        let referenced = plan.checks[2]
        #expect(referenced.cipherPass == "manifest-pass")
        #expect(referenced.expectedRepoChecksum == Self.sha)
        #expect(referenced.expectedRepoSize == 5)
        #expect(plan.checks[0].expectedRepoSize == nil)
        #expect(plan.checks.allSatisfy { $0.headerSize == 0 })
    }

    @Test func restrictWalKeepsOnlyTheBackupsRange() {
        let files = (1...5).map { Self.wal("00000001000000000000000\($0)") }
        let manifest = Self.manifest(Self.full, files: [])
        let plan = VerifyPlan(archives: [.init(archiveId: "15-1", files: files), .init(archiveId: "14-2", files: [
            Self.wal("000000010000000000000002", archiveId: "14-2")])], archiveCipherPass: nil,
                              backups: [.init(label: Self.full, state: .loaded(manifest))], layout: Self.layout,
                              restrictWal: true)
        #expect(plan.archives[0].files.map(\.name.segment) == ["000000010000000000000002", "000000010000000000000003"])
        #expect(plan.archives[1].files.isEmpty)
    }

    // MARK: report

    @Test func aBadFileOfAFullMarksTheIncrThatReferencesItInvalid() {
        let fullManifest = Self.manifest(Self.full, files: [Self.file("pg_data/a"), Self.file("pg_data/z", size: 0)])
        let incrManifest = Self.manifest(Self.incr, files: [Self.file("pg_data/a", reference: Self.full),
                                                            Self.file("pg_data/z", size: 0, reference: Self.full)])
        let archives = [VerifyPlan.ArchiveListing(archiveId: "15-1", files: [Self.wal("000000010000000000000002"),
                                                                             Self.wal("000000010000000000000003")])]
        let plan = VerifyPlan(archives: archives, archiveCipherPass: nil,
                              backups: [.init(label: Self.full, state: .loaded(fullManifest)),
                                        .init(label: Self.incr, state: .loaded(incrManifest))], layout: Self.layout)
        let bad = "backup/main/\(Self.full)/pg_data/a.lz4"
        var results: [String: VerifyFileJob.Result] = [
            bad: .init(outcome: .invalid(.checksum, detail: "checksum x, expected y"), size: 10, checksum: "x", header: []),
            "backup/main/\(Self.full)/pg_data/z.lz4": Self.fileValid,
        ]
        for file in archives[0].files { results[file.path] = Self.walResult() }
        let report = plan.report(results: results, base: VerifyReport(stanza: "main", repo: 1))
        #expect(report.backups.map(\.status) == [.invalid, .invalid])
        #expect(report.backups.map(\.totalChecked) == [2, 2])
        #expect(report.backups.map(\.totalValid) == [1, 1])
        #expect(report.backups[1].invalidFiles == [.init(path: bad, reason: .checksum, detail: "checksum x, expected y")])
        #expect(report.archives[0].totalValid == 2)
        #expect(report.errorCount == 1)
        #expect(report.status == .error)
    }

    @Test func missingAndCorruptWalFailTheBackupThatNeedsIt() {
        let manifest = Self.manifest(Self.full, files: [], start: "000000010000000000000002", stop: "000000010000000000000004")
        let files = [Self.wal("000000010000000000000001"), Self.wal("000000010000000000000002"),
                     Self.wal("000000010000000000000004"), Self.wal("000000010000000000000005")]
        let plan = VerifyPlan(archives: [.init(archiveId: "15-1", files: files)], archiveCipherPass: nil,
                              backups: [.init(label: Self.full, state: .loaded(manifest))], layout: Self.layout)
        var results: [String: VerifyFileJob.Result] = [:]
        for file in files { results[file.path] = Self.walResult() }
        results[files[2].path] = Self.walResult(.invalid(.other, detail: "[029] invalid lz4 frame"))
        let report = plan.report(results: results, base: VerifyReport(stanza: "main", repo: 1))
        let archive = report.archives[0]
        #expect(archive.totalChecked == 4)
        #expect(archive.totalValid == 3)
        #expect(archive.gaps == [.init(start: "000000010000000000000003", stop: "000000010000000000000003")])
        #expect(archive.invalidFiles.map(\.path) == [files[2].path])
        #expect(report.backups[0].missingWal == [.init(start: "000000010000000000000003", stop: "000000010000000000000004")])
        #expect(report.backups[0].status == .invalid)
        #expect(report.errorCount == 3)
    }

    @Test func duplicatesAreNotCheckedAndWrongSizedSegmentsAreInvalid() {
        let files = [Self.wal("000000010000000000000001", sha1: String(repeating: "b", count: 40)),
                     Self.wal("000000010000000000000001"), Self.wal("000000010000000000000002"),
                     Self.wal("000000010000000000000003")]
        let plan = VerifyPlan(archives: [.init(archiveId: "15-1", files: files)], archiveCipherPass: nil, backups: [],
                              layout: Self.layout)
        #expect(plan.checks.count == 2)
        let results = [files[2].path: Self.walResult(), files[3].path: Self.walResult(size: 8192)]
        let archive = plan.report(results: results, base: VerifyReport(stanza: "main", repo: 1)).archives[0]
        #expect(archive.duplicates == ["000000010000000000000001"])
        #expect(archive.invalidFiles == [.init(path: files[3].path, reason: .size,
                                               detail: "size 8192, expected segment size 16777216")])
        #expect(archive.totalChecked == 4)
        #expect(archive.totalValid == 1)
    }

    @Test func blockIncrementalFilesAreSkippedAndBundledEmptyFilesAreValidUnread() {
        var blockFile = Self.file("pg_data/block")
        blockFile.blockIncrSize = 1
        var bundled = Self.file("pg_data/bundled", repoSize: 40)
        bundled.bundleId = 1
        bundled.bundleOffset = 100
        var manifest = Self.manifest(Self.full, files: [blockFile, bundled, Self.file("pg_data/empty", size: 0)],
                                     start: nil, stop: nil)
        manifest.backup.bundle = true
        let plan = VerifyPlan(archives: [], archiveCipherPass: nil, backups: [.init(label: Self.full, state: .loaded(manifest))],
                              layout: Self.layout)
        let check = plan.checks.first
        #expect(plan.checks.count == 1)
        #expect(check?.path == "backup/main/\(Self.full)/bundle/1")
        #expect(check?.offset == 100)
        #expect(check?.length == 40)
        let report = plan.report(results: [check!.key: Self.fileValid], base: VerifyReport(stanza: "main", repo: 1))
        #expect(report.backups[0].skipped == 1)
        #expect(report.backups[0].totalChecked == 2)
        #expect(report.backups[0].totalValid == 2)
        #expect(report.backups[0].status == .valid)
        #expect(report.status == .ok)
    }

    @Test func manifestStatesBecomeBackupStatuses() {
        let problem = VerifyReport.InvalidFile(path: "backup/main/\(Self.full)/backup.manifest.copy", reason: .checksum)
        let plan = VerifyPlan(archives: [], archiveCipherPass: nil, backups: [
            .init(label: Self.full, state: .loaded(Self.manifest(Self.full, files: [], start: nil, stop: nil)),
                  manifestProblems: [problem]),
            .init(label: "20250103-010101F", state: .missing),
            .init(label: "20250104-010101F", state: .inProgress),
        ], layout: Self.layout)
        let report = plan.report(results: [:], base: VerifyReport(stanza: "main", repo: 1))
        #expect(report.backups.map(\.status) == [.invalid, .manifestMissing, .inProgress])
        #expect(report.backups[0].manifestProblems == [problem])
        #expect(report.errorCount == 2)
    }

    // MARK: info files and manifests

    @Test func infoFilesMustShareTheirHistory() {
        let archive = ArchiveInfo(systemId: 7, version: "15")
        let backup = BackupInfo(systemId: 7, version: "15", controlVersion: 1300, catalogVersion: 202_209_061)
        #expect(VerifyPlan.historyMismatch(archive: archive, backup: backup) == nil)
        let other = BackupInfo(systemId: 8, version: "15", controlVersion: 1300, catalogVersion: 202_209_061)
        #expect(VerifyPlan.historyMismatch(archive: archive, backup: other) == "archive and backup database versions do not match")
        var upgraded = archive
        upgraded.addHistory(systemId: 7, version: "15")
        var upgradedBackup = backup
        upgradedBackup.addHistory(systemId: 7, version: "15", controlVersion: 1300, catalogVersion: 202_209_061)
        upgradedBackup.history[0].systemId = 9
        #expect(VerifyPlan.historyMismatch(archive: upgraded, backup: upgradedBackup)
                == "archive and backup history lists do not match")
    }

    @Test func aManifestMustNameItsLabelAndAKnownDatabase() {
        let archive = ArchiveInfo(systemId: 7, version: "15")
        let manifest = Self.manifest(Self.full, files: [])
        #expect(VerifyPlan.manifestProblem(manifest, label: Self.full, archiveInfo: archive, path: "m") == nil)
        #expect(VerifyPlan.manifestProblem(manifest, label: "20250109-010101F", archiveInfo: archive, path: "m")?.detail
                == "manifest label '\(Self.full)' does not match its directory")
        #expect(VerifyPlan.manifestProblem(manifest, label: Self.full, archiveInfo: ArchiveInfo(systemId: 8, version: "15"),
                                           path: "m")?.reason == .other)
    }

    @Test func archiveIdNames() {
        #expect(VerifyPlan.isArchiveId("15-1"))
        #expect(VerifyPlan.isArchiveId("9.6-12"))
        #expect(!VerifyPlan.isArchiveId("archive.info"))
        #expect(!VerifyPlan.isArchiveId("15-"))
        #expect(!VerifyPlan.isArchiveId("-1"))
    }
}
