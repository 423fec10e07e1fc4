import Testing
import VaultCore
import VaultIO
import VaultRepository
@testable import VaultCommands

@Suite struct BackupPlanTests {
    static let full1 = "20240101-000000F"
    static let diff1 = "20240101-000000F_20240102-000000D"
    static let incr1 = "20240101-000000F_20240103-000000I"
    static let full2 = "20240201-000000F"

    static func entry(_ label: String, _ type: BackupType, db: UInt32 = 1) -> BackupInfo.Entry {
        BackupInfo.Entry(label: label, type: type, dbId: db)
    }

    struct PriorCase: Sendable, CustomTestStringConvertible {
        var requested: BackupType
        var backups: [BackupInfo.Entry]
        var type: BackupType
        var prior: String?
        var dbId: UInt32 = 1
        var testDescription: String { "\(requested) over \(backups.map(\.label)) -> \(type) \(prior ?? "-")" }
    }

    static let priorCases: [PriorCase] = [
        PriorCase(requested: .full, backups: [entry(full1, .full)], type: .full, prior: nil),
        PriorCase(requested: .diff, backups: [entry(full1, .full), entry(diff1, .diff), entry(incr1, .incr)],
                  type: .diff, prior: full1),
        PriorCase(requested: .incr, backups: [entry(full1, .full), entry(diff1, .diff), entry(incr1, .incr)],
                  type: .incr, prior: incr1),
        PriorCase(requested: .incr, backups: [entry(full1, .full), entry(diff1, .diff)], type: .incr, prior: diff1),
        PriorCase(requested: .diff, backups: [entry(full1, .full), entry(full2, .full)], type: .diff, prior: full2),
        // Backups of an earlier cluster (another db-id) are not priors.
        PriorCase(requested: .incr, backups: [entry(full2, .full, db: 1), entry(full1, .full, db: 2)], type: .incr,
                  prior: full1, dbId: 2),
        PriorCase(requested: .diff, backups: [entry(full1, .full, db: 1)], type: .full, prior: nil, dbId: 2),
        PriorCase(requested: .incr, backups: [], type: .full, prior: nil),
    ]

    @Test(arguments: priorCases)
    func priorSelection(_ item: PriorCase) {
        let choice = BackupPlan.choosePrior(requested: item.requested, backups: item.backups, dbId: item.dbId)
        #expect(choice.type == item.type)
        #expect(choice.prior?.label == item.prior)
        if item.requested != .full && item.prior == nil {
            #expect(choice.warning == "no prior backup exists, \(item.requested.rawValue) backup has been changed to full")
        } else {
            #expect(choice.warning == nil)
        }
    }

    static func file(_ name: String, size: UInt64, time: Int64, checksum: String? = nil, reference: String? = nil) -> ManifestFile {
        var file = ManifestFile(name: name, size: size, timestamp: time, checksum: checksum, mode: 0o600,
                                user: .name("postgres"), group: .name("postgres"))
        file.reference = reference
        return file
    }

    static let sum = String(repeating: "a", count: 40)

    struct ActionCase: Sendable, CustomTestStringConvertible {
        var current: ManifestFile
        var prior: ManifestFile?
        var delta: Bool
        var expected: BackupPlan.FileAction
        var testDescription: String { "\(current.size)@\(current.timestamp) delta=\(delta) -> \(expected)" }
    }

    static let actionCases: [ActionCase] = [
        // Not in the prior: copied.
        ActionCase(current: file("pg_data/a", size: 10, time: 5), prior: nil, delta: false, expected: .copy),
        ActionCase(current: file("pg_data/a", size: 10, time: 5), prior: nil, delta: true, expected: .copy),
        // Same size and time: referenced to the prior, or to whoever the prior referenced.
        ActionCase(current: file("pg_data/a", size: 10, time: 5), prior: file("pg_data/a", size: 10, time: 5, checksum: sum),
                   delta: false, expected: .reference(diff1)),
        ActionCase(current: file("pg_data/a", size: 10, time: 5),
                   prior: file("pg_data/a", size: 10, time: 5, checksum: sum, reference: full1),
                   delta: false, expected: .reference(full1)),
        // Changed time or size: copied.
        ActionCase(current: file("pg_data/a", size: 10, time: 6), prior: file("pg_data/a", size: 10, time: 5, checksum: sum),
                   delta: false, expected: .copy),
        ActionCase(current: file("pg_data/a", size: 11, time: 5), prior: file("pg_data/a", size: 10, time: 5, checksum: sum),
                   delta: false, expected: .copy),
        // Empty files are referenced whatever their time.
        ActionCase(current: file("pg_data/e", size: 0, time: 9), prior: file("pg_data/e", size: 0, time: 1), delta: false,
                   expected: .reference(diff1)),
        ActionCase(current: file("pg_data/e", size: 0, time: 9), prior: file("pg_data/e", size: 0, time: 1), delta: true,
                   expected: .reference(diff1)),
        // Delta: same size means compare checksums, whatever the time; a different size is copied.
        ActionCase(current: file("pg_data/a", size: 10, time: 6), prior: file("pg_data/a", size: 10, time: 5, checksum: sum),
                   delta: true, expected: .delta(reference: diff1, checksum: sum)),
        ActionCase(current: file("pg_data/a", size: 10, time: 5),
                   prior: file("pg_data/a", size: 10, time: 5, checksum: sum, reference: full1),
                   delta: true, expected: .delta(reference: full1, checksum: sum)),
        ActionCase(current: file("pg_data/a", size: 12, time: 5), prior: file("pg_data/a", size: 10, time: 5, checksum: sum),
                   delta: true, expected: .copy),
    ]

    @Test(arguments: actionCases)
    func fileAction(_ item: ActionCase) {
        #expect(BackupPlan.action(for: item.current, prior: item.prior, priorLabel: Self.diff1, delta: item.delta) == item.expected)
    }

    static func manifest(_ label: String, _ files: [ManifestFile], references: [String] = []) -> Manifest {
        var manifest = Manifest(backup: .init(label: label, type: BackupLabel.isValid(label) && label.hasSuffix("F") ? .full : .diff,
                                              references: references, timestampStart: 1, timestampCopyStart: 1),
                                db: PgHistory(id: 1, systemId: 7, version: "15", controlVersion: 1300, catalogVersion: 202209061),
                                options: Manifest.Options())
        manifest.files = files
        manifest.sortLists()
        return manifest
    }

    @Test func applyIncrementalCarriesThePriorsStoredFacts() {
        var stored = Self.file("pg_data/base/1/1", size: 8192, time: 5, checksum: Self.sum, reference: Self.full1)
        stored.repoChecksum = String(repeating: "b", count: 40)
        stored.repoSize = 100
        stored.checksumPage = false
        stored.checksumPageError = .array([.uint(0)])
        let prior = Self.manifest(Self.diff1, [stored, Self.file("pg_data/changed", size: 3, time: 1, checksum: Self.sum)])
        var current = Self.manifest("", [Self.file("pg_data/base/1/1", size: 8192, time: 5),
                                         Self.file("pg_data/changed", size: 3, time: 2),
                                         Self.file("pg_data/new", size: 4, time: 2)])
        let actions = BackupPlan.applyIncremental(to: &current, prior: prior, delta: false)
        #expect(actions == ["pg_data/base/1/1": .reference(Self.full1), "pg_data/changed": .copy, "pg_data/new": .copy])
        let referenced = current.file(named: "pg_data/base/1/1")!
        #expect(referenced.reference == Self.full1)
        #expect(referenced.checksum == Self.sum)
        #expect(referenced.repoChecksum == stored.repoChecksum)
        #expect(referenced.repoSize == 100)
        #expect(referenced.checksumPage == false)
        #expect(referenced.checksumPageError == .array([.uint(0)]))
        #expect(current.file(named: "pg_data/changed")!.reference == nil)
    }

    @Test func deltaReasons() {
        let prior = Self.manifest(Self.full1, [Self.file("pg_data/a", size: 10, time: 50, checksum: Self.sum)])
        func reason(_ files: [ManifestFile], timeline: Bool = false, online: Bool = false, copyStart: Int64? = 100) -> String? {
            BackupPlan.deltaReason(files: files, prior: prior, priorLabel: Self.full1, timelineChanged: timeline,
                                   onlineChanged: online, copyStart: copyStart)
        }
        #expect(reason([Self.file("pg_data/a", size: 10, time: 60)]) == nil)
        #expect(reason([Self.file("pg_data/a", size: 10, time: 60)], timeline: true)
                == "a timeline switch has occurred since the \(Self.full1) backup, enabling delta checksum")
        #expect(reason([Self.file("pg_data/a", size: 10, time: 60)], online: true)
                == "the online option has changed since the last backup, enabling delta checksum")
        #expect(reason([Self.file("pg_data/a", size: 10, time: 40)])
                == "file 'pg_data/a' has timestamp earlier than prior backup (prior 50, current 40), enabling delta checksum")
        #expect(reason([Self.file("pg_data/a", size: 11, time: 50)])
                == "file 'pg_data/a' has same timestamp (50) as prior but different size (prior 10, current 11), enabling delta checksum")
        #expect(reason([Self.file("pg_data/b", size: 1, time: 101)])
                == "file 'pg_data/b' has timestamp (101) in the future (relative to copy start 100), enabling delta checksum")
        #expect(BackupPlan.deltaReason(files: [Self.file("pg_data/a", size: 1, time: 1)], prior: nil, priorLabel: nil,
                                       timelineChanged: true, onlineChanged: true, copyStart: 100) == nil)
    }

    @Test func referencesListTheChainThenTheNewLabel() {
        #expect(BackupPlan.references(priorReferences: [], priorLabel: nil, label: Self.full2) == [Self.full2])
        #expect(BackupPlan.references(priorReferences: [Self.full1], priorLabel: Self.full1, label: Self.diff1)
                == [Self.full1, Self.diff1])
        #expect(BackupPlan.references(priorReferences: [Self.full1, Self.diff1], priorLabel: Self.diff1, label: Self.incr1)
                == [Self.full1, Self.diff1, Self.incr1])
        // A prior without a list (older writer) counts as its own chain.
        #expect(BackupPlan.references(priorReferences: [], priorLabel: Self.full1, label: Self.incr1) == [Self.full1, Self.incr1])
    }

    @Test func settingsAreInheritedFromThePrior() {
        let requested = BackupPlan.Settings(compressType: .lz4, compressLevel: 1, checksumPage: true)
        #expect(BackupPlan.settings(requested: requested, prior: nil) == requested)
        var prior = Manifest.Options()
        prior.compressType = .gz
        prior.checksumPage = false
        #expect(BackupPlan.settings(requested: requested, prior: prior)
                == .init(compressType: .gz, compressLevel: 6, checksumPage: false))
        prior.compressLevel = 9
        prior.checksumPage = nil
        #expect(BackupPlan.settings(requested: requested, prior: prior)
                == .init(compressType: .gz, compressLevel: 9, checksumPage: true))
    }

    @Test func labels() throws {
        let utc = BackupLabel.Stamp.utc
        // 2024-01-02 03:04:05 UTC
        let now: Int64 = 1_704_164_645
        #expect(try BackupPlan.label(type: .full, prior: nil, existing: [], now: now, stamp: utc).rawValue == "20240102-030405F")
        #expect(try BackupPlan.label(type: .diff, prior: Self.full1, existing: [Self.full1], now: now, stamp: utc).rawValue
                == "20240101-000000F_20240102-030405D")
        #expect(try BackupPlan.label(type: .incr, prior: Self.diff1, existing: [Self.full1, Self.diff1], now: now, stamp: utc).rawValue
                == "20240101-000000F_20240102-030405I")
        // The same second as an existing label: one second later.
        #expect(try BackupPlan.label(type: .full, prior: nil, existing: ["20240102-030405F"], now: now, stamp: utc).rawValue
                == "20240102-030406F")
        // The clock went backwards.
        #expect(throws: PGVError.self) {
            _ = try BackupPlan.label(type: .full, prior: nil, existing: ["20250101-000000F"], now: now, stamp: utc)
        }
        do {
            _ = try BackupPlan.label(type: .full, prior: nil, existing: ["20250101-000000F"], now: now, stamp: utc)
        } catch let error as PGVError {
            #expect(error.code == .clock)
        }
    }

    @Test func startTimeIsTheDatabaseClockWhenOnline() {
        // The database's clock wins over this host's (labels follow the cluster, as in pgBackRest), whole seconds.
        #expect(BackupPlan.startTime(database: 1_704_164_645.999, local: 1_704_000_000) == 1_704_164_645)
        #expect(BackupPlan.startTime(database: 1_704_164_645.0, local: 1_800_000_000) == 1_704_164_645)
        // Offline: the local clock.
        #expect(BackupPlan.startTime(database: nil, local: 1_704_000_000) == 1_704_000_000)
    }

    @Test func labelFromADatabaseClockBehindTheNewestLabelIsClockError() throws {
        let utc = BackupLabel.Stamp.utc
        // The database clock a day behind the newest set (2024-01-02 03:04:05): a full is refused, an incr on that
        // full sorts after it (whole labels compare) and is taken.
        let behind = BackupPlan.startTime(database: 1_704_164_645.5 - 86_400, local: 1_704_164_650)
        let error = #expect(throws: PGVError.self) {
            _ = try BackupPlan.label(type: .full, prior: nil, existing: ["20240102-030405F"], now: behind, stamp: utc)
        }
        #expect(error?.code == .clock)
        #expect(error?.message == "new backup label '20240101-030406F' is not later than latest backup label '20240102-030405F'")
        #expect(try BackupPlan.label(type: .incr, prior: "20240102-030405F", existing: ["20240102-030405F"], now: behind,
                                     stamp: utc).rawValue == "20240102-030405F_20240101-030405I")
    }

    @Test func copyOrderIsLargestFirstThenByName() {
        let files = [Self.file("pg_data/b", size: 1, time: 0), Self.file("pg_data/a", size: 1, time: 0),
                     Self.file("pg_data/c", size: 9, time: 0)]
        #expect(BackupPlan.copyOrder(files).map(\.name) == ["pg_data/c", "pg_data/a", "pg_data/b"])
    }

    @Test func manifestSaveInterval() {
        #expect(BackupPlan.saveInterval(totalSize: 1_000_000, threshold: 1 << 30) == 1 << 30)
        #expect(BackupPlan.saveInterval(totalSize: 1 << 40, threshold: 1 << 30) == (1 << 40) / 100)
    }
}
