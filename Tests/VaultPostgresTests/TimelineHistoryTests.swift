import Testing
import VaultCore
@testable import VaultPostgres

struct TimelineHistoryTests {
    @Test func parsesPostgreSQLHistoryLines() throws {
        let text = "1\t0/3000000\tno recovery target specified\n\n# comment\n2\t0/5000148\tbefore 2024-01-01 00:00:00+00\n"
        let history = try TimelineHistory(parsing: text)
        #expect(history.entries == [
            .init(timeline: 1, switchPoint: Lsn(0x300_0000), reason: "no recovery target specified"),
            .init(timeline: 2, switchPoint: Lsn(0x500_0148), reason: "before 2024-01-01 00:00:00+00"),
        ])
        #expect(history.timeline(containing: Lsn(0x200_0000), currentTimeline: 3) == 1)
        #expect(history.timeline(containing: Lsn(0x300_0000), currentTimeline: 3) == 2)
        #expect(history.timeline(containing: Lsn(0x600_0000), currentTimeline: 3) == 3)
    }

    @Test func acceptsALineWithoutReason() throws {
        #expect(try TimelineHistory(parsing: "1\t0/3000000").entries == [.init(timeline: 1, switchPoint: Lsn(0x300_0000), reason: "")])
        #expect(try TimelineHistory(parsing: "").entries.isEmpty)
    }

    @Test(arguments: [
        ("1 0/3000000 reason", "invalid line 1 in '00000002.history': '1 0/3000000 reason'"),
        ("x\t0/3000000\tr", "invalid line 1 in '00000002.history': 'x\t0/3000000\tr'"),
        ("1\tzz\tr", "invalid line 1 in '00000002.history': '1\tzz\tr'"),
        ("2\t0/1\ta\n1\t0/2\tb", "invalid line 2 in '00000002.history': timeline 1 does not follow 2"),
    ])
    func rejectsMalformedLines(text: String, message: String) {
        #expect(throws: PGVError(.format, message)) { try TimelineHistory(parsing: text, source: "00000002.history") }
    }

    @Test func namesAndTimelines() {
        #expect(TimelineHistory.fileName(timeline: 10) == "0000000A.history")
        #expect(TimelineHistory.timeline(fromFileName: "0000000A.history") == 10)
        #expect(TimelineHistory.timeline(fromFileName: "000000010000000000000001") == nil)
    }
}
