import Testing
import VaultCore
import VaultRepository
@testable import VaultCommands

@Suite struct ArchiveRetentionPlanTests {
    typealias F = ExpireFixtures
    static func seg(_ log: Int, _ seg: Int) -> String { ArchiveRangeRemovalTests.seg(log, seg) }

    static let archiveHistory = [ArchiveInfo.History(id: 1, systemId: 11, version: "14"),
                                 ArchiveInfo.History(id: 2, systemId: 22, version: "15")]
    static let backupHistory = [PgHistory(id: 1, systemId: 11, version: "14", controlVersion: 1300, catalogVersion: 1),
                                PgHistory(id: 2, systemId: 22, version: "15", controlVersion: 1300, catalogVersion: 2)]

    /// Three fulls on db 2 (the upgraded cluster) with an incr after the second, and one full on db 1.
    static let backups = [
        F.entry(F.full(1), db: 1, wal: (seg(0, 1), seg(0, 2))),
        F.entry(F.full(2), db: 2, wal: (seg(0, 3), seg(0, 4))),
        F.entry(F.full(3), db: 2, wal: (seg(0, 6), seg(0, 7))),
        F.entry(F.incr(3, 4), prior: F.full(3), db: 2, wal: (seg(0, 8), seg(0, 8))),
        F.entry(F.full(5), db: 2, wal: (seg(1, 2), seg(1, 3))),
    ]

    static func plan(_ backups: [BackupInfo.Entry], retention: Int, type: BackupType = .full,
                     onDisk: [String] = ["14-1", "15-2"]) throws -> ArchiveRetentionPlan? {
        try ArchiveRetentionPlan.plan(remaining: backups, retention: retention, type: type,
                                      archiveHistory: archiveHistory, archiveCurrentId: 2, backupHistory: backupHistory,
                                      archiveIdsOnDisk: onDisk)
    }

    @Test func theOldestRetainedFullOfEachArchiveIdIsTheBoundary() throws {
        let plan = try #require(try Self.plan(Self.backups, retention: 2))
        #expect(plan.items.map(\.archiveId) == ["14-1", "15-2"])
        // 14-1 has a full, but not among the two newest: the newest of its own is kept whole from its start.
        #expect(plan.items[0].action == .expire(ArchiveRangeRemoval(
            archiveId: "14-1", boundaryLabel: F.full(1), expireMax: Self.seg(0, 1),
            ranges: [.init(label: F.full(1), start: Self.seg(0, 1), stop: nil)])))
        // 15-2: F3 is the boundary; F2 keeps its own start..stop.
        #expect(plan.items[1].action == .expire(ArchiveRangeRemoval(
            archiveId: "15-2", boundaryLabel: F.full(3), expireMax: Self.seg(0, 6),
            ranges: [.init(label: F.full(2), start: Self.seg(0, 3), stop: Self.seg(0, 4)),
                     .init(label: F.full(3), start: Self.seg(0, 6), stop: nil)])))
    }

    @Test func incrTypeMovesTheBoundaryToTheIncr() throws {
        let plan = try #require(try Self.plan(Self.backups, retention: 2, type: .incr))
        guard case .expire(let removal) = plan.items[1].action else { Issue.record("no expire"); return }
        #expect(removal.boundaryLabel == F.incr(3, 4))
        #expect(removal.ranges.map(\.label) == [F.full(2), F.full(3), F.incr(3, 4)])
        #expect(removal.ranges[1].stop == Self.seg(0, 7))
    }

    @Test func tooFewBackupsMeansNoArchiveExpiry() throws {
        #expect(try Self.plan(Self.backups, retention: 5) == nil)
        #expect(try Self.plan([], retention: 1) == nil)
        #expect(ArchiveRetentionPlan.candidates(remaining: Self.backups, retention: 4, type: .full)
                == [F.full(5), F.full(3), F.full(2), F.full(1)])
        #expect(ArchiveRetentionPlan.candidates(remaining: Self.backups, retention: 5, type: .incr)?.count == 5)
    }

    @Test func anOldArchiveIdWithoutBackupsGoesButNeverTheCurrentOne() throws {
        let onlyNew = Array(Self.backups.dropFirst())
        let plan = try #require(try Self.plan(onlyNew, retention: 1))
        #expect(plan.items[0] == .init(archiveId: "14-1", action: .removeArchiveId))
        let onlyOld = [Self.backups[0]]
        let kept = try #require(try Self.plan(onlyOld, retention: 1))
        #expect(kept.items[1] == .init(archiveId: "15-2", action: .keep))
    }

    @Test func archiveIdsMissingOnDiskAreSkipped() throws {
        let plan = try #require(try Self.plan(Self.backups, retention: 1, onDisk: ["15-2", "junk"]))
        #expect(plan.items.map(\.archiveId) == ["15-2"])
    }

    @Test func anOfflineBoundaryKeepsAllWal() throws {
        let offline = [F.entry(F.full(1), db: 2), F.entry(F.full(2), db: 2)]
        let plan = try #require(try Self.plan(offline, retention: 1, onDisk: ["15-2"]))
        #expect(plan.items == [.init(archiveId: "15-2", action: .keep)])
    }

    @Test func mismatchedHistoriesAreAFormatError() {
        let error = #expect(throws: PGVError.self) {
            try ArchiveRetentionPlan.plan(
                remaining: Self.backups, retention: 1, type: .full,
                archiveHistory: [ArchiveInfo.History(id: 2, systemId: 99, version: "15")], archiveCurrentId: 2,
                backupHistory: Self.backupHistory, archiveIdsOnDisk: ["15-2"])
        }
        #expect(error?.code == .format)
        #expect(error?.message == "archive expiration cannot continue - archive and backup history lists do not match")
    }

    @Test func archiveIdNames() {
        #expect(ArchiveRetentionPlan.isArchiveId("15-1"))
        #expect(ArchiveRetentionPlan.isArchiveId("9.6-12"))
        #expect(!ArchiveRetentionPlan.isArchiveId("archive.info"))
        #expect(!ArchiveRetentionPlan.isArchiveId("15-"))
        #expect(!ArchiveRetentionPlan.isArchiveId("9.-1"))
    }
}
