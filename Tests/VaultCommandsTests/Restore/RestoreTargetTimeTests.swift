import Testing
@testable import VaultCommands

@Suite struct RestoreTargetTimeTests {
    @Test(arguments: [
        ("2026-01-01 00:00:00+00", Int64(1_767_225_600)),
        ("2026-01-01 00:00:00.123456+00", 1_767_225_600),
        ("2026-01-01 02:30:00+02:30", 1_767_225_600),
        ("2026-01-01 02:30:00+0230", 1_767_225_600),
        ("2025-12-31 19:00:00-05", 1_767_225_600),
        ("2000-02-29 12:00:00+00", 951_825_600),
    ])
    func zonedTimes(_ text: String, _ epoch: Int64) {
        #expect(RestoreTargetTime.epoch(text) == epoch)
    }

    @Test(arguments: ["2026-01-01T00:00:00+00", "2026-01-01 00:00", "yesterday", "2026-13-01 00:00:00",
                      "2026-01-01 00:00:00+", "2026-01-01 00:00:00.+00", "2026-01-01 00:00:00 +00"])
    func otherFormsAreRejected(_ text: String) {
        #expect(RestoreTargetTime.epoch(text) == nil)
    }

    @Test func localTimeIsAccepted() {
        let local = RestoreTargetTime.epoch("2026-06-01 12:00:00")
        let utc = RestoreTargetTime.epoch("2026-06-01 12:00:00+00")!
        #expect(local != nil)
        #expect(abs(local! - utc) <= 14 * 3600)
    }
}
