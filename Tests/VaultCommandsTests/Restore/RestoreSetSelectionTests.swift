import Testing
import VaultCore
import VaultRepository
@testable import VaultCommands

@Suite struct RestoreSetSelectionTests {
    static func info(_ backups: [(String, Int64, String?)], currentId: UInt32 = 1, dbId: UInt32 = 1) -> BackupInfo {
        var info = BackupInfo(systemId: 7, version: "15", controlVersion: 1300, catalogVersion: 202209061)
        if currentId == 2 { info.addHistory(systemId: 8, version: "15", controlVersion: 1300, catalogVersion: 202209061) }
        for (label, stop, lsn) in backups {
            var entry = BackupInfo.Entry(label: label, type: label.hasSuffix("F") ? .full : .incr, dbId: dbId)
            entry.timestampStop = stop
            entry.lsnStop = lsn
            info.add(entry)
        }
        return info
    }

    static let full = "20260101-000000F"
    static let incr = "20260101-000000F_20260101-010000I"
    static let diff = "20260101-000000F_20260101-020000D"
    /// Stops at 00:10, 01:10, 02:10 UTC on 2026-01-01.
    static let repo1 = info([(full, 1_767_226_200, "0/3000100"), (incr, 1_767_229_800, "0/5000100"),
                             (diff, 1_767_233_400, "0/7000100")])

    func select(_ options: RestoreOptions, _ repositories: [(repo: Int, info: BackupInfo)] = [(1, repo1)]) throws -> String {
        let selection = try RestoreSetSelection.select(options: options, repositories: repositories)
        return "repo\(selection.repo):\(selection.label)"
    }

    @Test(arguments: [
        ("2026-01-01 00:10:01+00", full),      // after the full's stop only
        ("2026-01-01 00:10:00+00", nil),       // equal is not before
        ("2026-01-01 01:10:01+00", incr),
        ("2026-01-01 03:00:00+00", diff),
        ("2026-01-01 02:10:00.9+00", incr),    // fractions are dropped
    ] as [(String, String?)])
    func byTime(_ target: String, _ expected: String?) throws {
        let options = RestoreOptions(type: .time, typeGiven: true, target: target)
        if let expected {
            #expect(try select(options) == "repo1:\(expected)")
        } else {
            #expect(throws: PGVError(.backupSetInvalid, "unable to find backup set with stop time less than '\(target)'")) {
                _ = try select(options)
            }
        }
    }

    @Test(arguments: [
        ("0/3000100", full),                   // equal qualifies
        ("0/50000FF", full),
        ("0/5000100", incr),
        ("1/0", diff),
        ("0/1", nil),
    ] as [(String, String?)])
    func byLsn(_ target: String, _ expected: String?) throws {
        let options = RestoreOptions(type: .lsn, typeGiven: true, target: target)
        if let expected {
            #expect(try select(options) == "repo1:\(expected)")
        } else {
            #expect(throws: PGVError(.backupSetInvalid, "unable to find backup set with lsn less than or equal to '\(target)'")) {
                _ = try select(options)
            }
        }
    }

    @Test func latestByDefaultAndForOtherTypes() throws {
        #expect(try select(RestoreOptions()) == "repo1:\(Self.diff)")
        #expect(try select(RestoreOptions(type: .xid, typeGiven: true, target: "5")) == "repo1:\(Self.diff)")
    }

    @Test func badTimeFormatIs029() {
        #expect(throws: PGVError(.format, "automatic backup set selection cannot be performed with provided time 'now'",
                                 hint: RestoreTargetTime.formatHint)) {
            _ = try select(RestoreOptions(type: .time, typeGiven: true, target: "now"))
        }
    }

    @Test func explicitSetIsSearchedInRepositoryOrder() throws {
        let repo2 = Self.info([("20250101-000000F", 1, nil), (Self.full, 2, nil)])
        #expect(try select(RestoreOptions(set: Self.full), [(1, Self.info([])), (2, repo2)]) == "repo2:\(Self.full)")
        #expect(try select(RestoreOptions(set: Self.full), [(1, Self.repo1), (2, repo2)]) == "repo1:\(Self.full)")
        #expect(throws: PGVError(.backupSetInvalid, "backup set 20200101-000000F is not valid",
                                 hint: "run 'info' to list the backup sets of the stanza")) {
            _ = try select(RestoreOptions(set: "20200101-000000F"), [(1, Self.repo1), (2, repo2)])
        }
    }

    @Test func latestSkipsEmptyRepositories() throws {
        #expect(try select(RestoreOptions(), [(1, Self.info([])), (2, Self.repo1)]) == "repo2:\(Self.diff)")
        #expect(throws: PGVError(.backupSetInvalid, "no backup set found to restore")) {
            _ = try select(RestoreOptions(), [(1, Self.info([]))])
        }
        #expect(throws: PGVError(.backupSetInvalid, "no backup set found to restore")) {
            _ = try select(RestoreOptions(), [])
        }
    }

    @Test func latestFromAPriorClusterIs075() {
        let upgraded = Self.info([(Self.full, 1, nil)], currentId: 2, dbId: 1)
        #expect(throws: PGVError(.backupSetInvalid,
                                 "the latest backup set found '\(Self.full)' is from a prior version of PostgreSQL",
                                 hint: "use --set to choose a backup set of a prior version")) {
            _ = try select(RestoreOptions(), [(1, upgraded)])
        }
    }
}
