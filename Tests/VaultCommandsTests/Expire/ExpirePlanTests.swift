import Testing
import VaultCore
import VaultRepository
@testable import VaultCommands

/// Backup sets for the plan tests: labels built from a day number so the order is obvious.
enum ExpireFixtures {
    static func full(_ day: Int) -> String { "202401\(pad(day))-000000F" }
    static func diff(_ fullDay: Int, _ day: Int) -> String { full(fullDay) + "_202401\(pad(day))-000000D" }
    static func incr(_ fullDay: Int, _ day: Int, hour: Int = 0) -> String {
        full(fullDay) + "_202401\(pad(day))-\(pad(hour))0000I"
    }
    static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// An entry of `label`'s type with `prior`, stopped at `stop` (unix seconds), WAL start..stop when given.
    static func entry(_ label: String, prior: String? = nil, stop: Int64 = 0, db: UInt32 = 1,
                      wal: (String, String)? = nil) -> BackupInfo.Entry {
        var entry = BackupInfo.Entry(label: label, type: (try? BackupLabel(label))?.type ?? .full, dbId: db)
        entry.prior = prior
        entry.timestampStart = stop
        entry.timestampStop = stop
        entry.archiveStart = wal?.0
        entry.archiveStop = wal?.1
        return entry
    }
}

@Suite struct ExpirePlanTests {
    typealias F = ExpireFixtures

    /// Six fulls, each followed by a diff and an incr on the diff: the runbook's shape.
    static func sixChains() -> [BackupInfo.Entry] {
        (1...6).flatMap { n -> [BackupInfo.Entry] in
            let day = n * 3
            return [F.entry(F.full(day)),
                    F.entry(F.diff(day, day + 1), prior: F.full(day)),
                    F.entry(F.incr(day, day + 2), prior: F.diff(day, day + 1))]
        }
    }

    @Test func countRetentionExpiresOldestFullsWithTheirDependents() {
        let plan = ExpirePlan.retention(backups: Self.sixChains(), retention: ExpireRetention(full: 4, diff: 7), now: 0)
        #expect(plan.expired == [
            .init(reason: .full, labels: [F.full(3), F.diff(3, 4), F.incr(3, 5)]),
            .init(reason: .full, labels: [F.full(6), F.diff(6, 7), F.incr(6, 8)]),
        ])
        #expect(plan.remaining.map(\.label) == Self.sixChains().dropFirst(6).map(\.label))
        #expect(plan.archiveRetention == 4)
        #expect(plan.expired[0].logLine(repo: "repo1")
                == "repo1: expire full backup set 20240103-000000F, 20240103-000000F_20240104-000000D, "
                    + "20240103-000000F_20240105-000000I")
    }

    @Test func aLoneFullIsLoggedWithoutSet() {
        let plan = ExpirePlan.retention(backups: [F.entry(F.full(1)), F.entry(F.full(2))],
                                        retention: ExpireRetention(full: 1), now: 0)
        #expect(plan.expired.map { $0.logLine(repo: "repo2") } == ["repo2: expire full backup 20240101-000000F"])
    }

    @Test func nothingExpiresWithinRetentionOrWithoutIt() {
        let backups = Self.sixChains()
        #expect(ExpirePlan.retention(backups: backups, retention: ExpireRetention(full: 6), now: 0).expired.isEmpty)
        let unset = ExpirePlan.retention(backups: backups, retention: ExpireRetention(), now: 0)
        #expect(unset.expired.isEmpty)
        #expect(unset.remaining.count == 18)
        #expect(unset.archiveRetention == nil)
    }

    @Test func diffRetentionCountsFullsAndDiffsTogether() {
        // F1 D1 D2 F2 with diff=2: F1 is skipped (fulls never expire here), D1 and D2 go with their incrs.
        let backups = [F.entry(F.full(1)), F.entry(F.diff(1, 2), prior: F.full(1)),
                       F.entry(F.incr(1, 3), prior: F.diff(1, 2)), F.entry(F.diff(1, 4), prior: F.full(1)),
                       F.entry(F.full(5)), F.entry(F.diff(5, 6), prior: F.full(5))]
        let plan = ExpirePlan.retention(backups: backups, retention: ExpireRetention(diff: 2), now: 0)
        #expect(plan.expired == [.init(reason: .diff, labels: [F.diff(1, 2), F.incr(1, 3)]),
                                 .init(reason: .diff, labels: [F.diff(1, 4)])])
        #expect(plan.remaining.map(\.label) == [F.full(1), F.full(5), F.diff(5, 6)])
        #expect(plan.expired[0].logLine(repo: "repo1").hasPrefix("repo1: expire diff backup set "))
    }

    @Test func diffRetentionOfSevenKeepsEveryDiffOfFourChains() {
        let afterFull = ExpirePlan.retention(backups: Self.sixChains(), retention: ExpireRetention(full: 4, diff: 7),
                                             now: 0)
        #expect(afterFull.expired.allSatisfy { $0.reason == .full })
        let tighter = ExpirePlan.retention(backups: Self.sixChains(), retention: ExpireRetention(full: 4, diff: 3),
                                           now: 0)
        // Remaining fulls+diffs: F9 D10 F12 D13 F15 D16 F18 D19; the newest 3 are D16 F18 D19.
        #expect(tighter.expired.filter { $0.reason == .diff }.map(\.labels) == [
            [F.diff(9, 10), F.incr(9, 11)], [F.diff(12, 13), F.incr(12, 14)],
        ])
    }

    @Test func incrOnAnIncrExpiresWithTheChain() {
        let backups = [F.entry(F.full(1)), F.entry(F.incr(1, 2), prior: F.full(1)),
                       F.entry(F.incr(1, 2, hour: 1), prior: F.incr(1, 2)), F.entry(F.full(3))]
        #expect(ExpirePlan.dependents(of: F.full(1), in: backups) == [F.full(1), F.incr(1, 2), F.incr(1, 2, hour: 1)])
        #expect(ExpirePlan.dependents(of: F.incr(1, 2), in: backups) == [F.incr(1, 2), F.incr(1, 2, hour: 1)])
        #expect(ExpirePlan.dependents(of: F.full(3), in: backups) == [F.full(3)])
    }

    // MARK: time

    static let day: Int64 = 86_400
    static let now: Int64 = 1_000 * day

    /// Fulls stopped 40, 20, 10 and 1 days ago, each with an incr a day later.
    static func timed() -> [BackupInfo.Entry] {
        [(1, 40), (5, 20), (9, 10), (13, 1)].flatMap { (fullDay, age) -> [BackupInfo.Entry] in
            [F.entry(F.full(fullDay), stop: now - Int64(age) * day),
             F.entry(F.incr(fullDay, fullDay + 1), prior: F.full(fullDay), stop: now - Int64(age - 1) * day)]
        }
    }

    @Test func timeRetentionKeepsTheFullNeededToReachTheWindow() {
        // 15 days: the newest full older than the window (20 days ago) stays so the window is covered.
        let plan = ExpirePlan.retention(backups: Self.timed(), retention: ExpireRetention(full: 15, fullType: .time),
                                        now: Self.now)
        #expect(plan.expired == [.init(reason: .timeBased, labels: [F.full(1), F.incr(1, 2)])])
        #expect(plan.remaining.first?.label == F.full(5))
        // Archive retention was unset: it becomes the number of fulls left.
        #expect(plan.archiveRetention == 3)
        #expect(plan.expired[0].logLine(repo: "repo1")
                == "repo1: expire time-based backup set 20240101-000000F, 20240101-000000F_20240102-000000I")
    }

    @Test func timeRetentionKeepsEverythingWhenNoFullIsOldEnough() {
        let plan = ExpirePlan.retention(backups: Self.timed(), retention: ExpireRetention(full: 100, fullType: .time),
                                        now: Self.now)
        #expect(plan.expired.isEmpty)
        #expect(plan.archiveRetention == nil)
    }

    @Test func timeRetentionShorterThanTheNewestFullKeepsOnlyTheNewestChain() {
        let plan = ExpirePlan.retention(backups: Self.timed(), retention: ExpireRetention(full: 1, fullType: .time),
                                        now: Self.now + 5 * Self.day)
        #expect(plan.remaining.map(\.label) == [F.full(13), F.incr(13, 14)])
        #expect(plan.expired.count == 3)
        #expect(plan.archiveRetention == 1)
    }

    @Test func timeRetentionLeavesAnExplicitArchiveRetentionAlone() {
        let retention = ExpireRetention(full: 15, fullType: .time, archive: 2)
        let plan = ExpirePlan.retention(backups: Self.timed(), retention: retention, now: Self.now)
        #expect(plan.archiveRetention == 2)
        let diffType = ExpireRetention(full: 15, fullType: .time, archiveType: .diff)
        #expect(ExpirePlan.retention(backups: Self.timed(), retention: diffType, now: Self.now).archiveRetention == nil)
    }

    // MARK: adhoc

    @Test func adhocExpiresTheSetAndItsDependents() throws {
        let plan = try ExpirePlan.adhoc(backups: Self.sixChains(), label: F.diff(9, 10), retention: ExpireRetention())
        #expect(plan.expired == [.init(reason: .adhoc, labels: [F.diff(9, 10), F.incr(9, 11)])])
        #expect(plan.expiredLatest == nil)
        #expect(plan.remaining.count == 16)
        #expect(plan.expired[0].logLine(repo: "repo1")
                == "repo1: expire adhoc backup set 20240109-000000F_20240110-000000D, 20240109-000000F_20240111-000000I")
    }

    @Test func adhocOfTheNewestFullNeedsAnotherFullOfTheSameDb() throws {
        let error = #expect(throws: PGVError.self) {
            try ExpirePlan.adhoc(backups: [F.entry(F.full(1))], label: F.full(1), retention: ExpireRetention())
        }
        #expect(error?.code == .backupSetInvalid)
        #expect(error?.message
                == "full backup 20240101-000000F cannot be expired until another full backup has been created on this repo")
        let otherDb = [F.entry(F.full(1), db: 1), F.entry(F.full(2), db: 2)]
        #expect(throws: PGVError.self) {
            try ExpirePlan.adhoc(backups: otherDb, label: F.full(2), retention: ExpireRetention())
        }
    }

    @Test func adhocOfTheNewestFullReportsTheLatestBackupGone() throws {
        let plan = try ExpirePlan.adhoc(backups: Self.sixChains(), label: F.full(18), retention: ExpireRetention(full: 4))
        #expect(plan.expiredLatest == F.incr(18, 20))
        #expect(plan.remaining.last?.label == F.incr(15, 17))
        #expect(plan.archiveRetention == 4)
    }
}
