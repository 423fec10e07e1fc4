import Testing
import VaultCore
@testable import VaultRepository

@Suite struct BackupLabelTests {
    // 2024-01-15 10:15:00 UTC
    static let now: Int64 = 1705313700

    @Test(arguments: [
        ("20240115-101500F", true), ("20240115-101500F_20240116-101500D", true),
        ("20240115-101500F_20240116-101500I", true), ("20240115-101500D", false), ("20240115-101500F_20240116-101500F", false),
        ("2024011-101500F", false), ("20240115_101500F", false), ("20240115-101500F_", false), ("x0240115-101500F", false),
        ("20240115-101500F_20240116-101500I ", false), ("", false),
    ])
    func validation(label: String, valid: Bool) {
        #expect(BackupLabel.isValid(label) == valid)
        #expect(((try? BackupLabel(label)) != nil) == valid)
    }

    @Test func typeFullLabelAndStamp() throws {
        let incr = try BackupLabel("20240115-101500F_20240116-101500I")
        #expect(incr.type == .incr && incr.fullLabel == "20240115-101500F" && incr.stamp == "20240116-101500")
        let full = try BackupLabel("20240115-101500F")
        #expect(full.type == .full && full.fullLabel == "20240115-101500F" && full.stamp == "20240115-101500")
    }

    @Test func formatsFromPriorFullLabelEvenForIncrOnDiff() throws {
        let diff = try BackupLabel("20240115-101500F_20240116-000000D")
        let label = BackupLabel.format(type: .incr, prior: diff, stamp: BackupLabel.Stamp.utc(Self.now + 2 * 86400))
        #expect(label.rawValue == "20240115-101500F_20240117-101500I")
        #expect(BackupLabel.format(type: .full, prior: nil, stamp: .utc(Self.now)).rawValue == "20240115-101500F")
    }

    @Test func newLabelWithNoExistingUsesClock() throws {
        #expect(try BackupLabel.next(type: .full, prior: nil, existing: [], now: Self.now, stamp: BackupLabel.Stamp.utc).rawValue
                == "20240115-101500F")
    }

    @Test func sameSecondAddsOneSecond() throws {
        let label = try BackupLabel.next(type: .full, prior: nil, existing: ["20240115-101500F"], now: Self.now,
                                         stamp: BackupLabel.Stamp.utc)
        #expect(label.rawValue == "20240115-101501F")
        let prior = try BackupLabel("20240115-101500F")
        let diff = try BackupLabel.next(type: .diff, prior: prior, existing: ["20240115-101500F", "20240115-101500F_20240115-101500I"],
                                        now: Self.now, stamp: BackupLabel.Stamp.utc)
        #expect(diff.rawValue == "20240115-101500F_20240115-101501D")
    }

    @Test func clockGoingBackwardsIsClockError() {
        #expect(throws: PGVError(.clock, "new backup label '20240115-101501F' is not later than latest backup label '20240116-000000F'",
                                 hint: "has the timezone changed?\nHINT: is there clock skew?")) {
            try BackupLabel.next(type: .full, prior: nil, existing: ["20240101-000000F", "20240116-000000F"], now: Self.now,
                                 stamp: BackupLabel.Stamp.utc)
        }
    }

    @Test func localStampUsesLocaltime() {
        // Whatever the zone, local and UTC differ by whole minutes and agree on the seconds field.
        #expect(BackupLabel.Stamp.local(Self.now).second == BackupLabel.Stamp.utc(Self.now).second)
    }
}
