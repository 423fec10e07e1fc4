import Foundation
import Testing
@testable import VaultStorage

struct AwsTimestampTests {
    static let base = Date(timeIntervalSince1970: 1_795_694_593)  // 2026-11-26T12:03:13Z

    @Test func parsesWholeAndFractionalSecondsAndOffsets() throws {
        #expect(AwsTimestamp.parse("2026-11-26T12:03:13Z") == Self.base)
        let fractional = try #require(AwsTimestamp.parse("2026-11-26T12:03:13.496738Z"))
        #expect(abs(fractional.timeIntervalSince(Self.base) - 0.496738) < 0.000_01)
        #expect(AwsTimestamp.parse(" 2026-11-26T14:03:13+02:00\n") == Self.base)
    }

    @Test(arguments: ["", "2026-11-26", "tomorrow", "2026-11-26T12:03:13.Z"])
    func rejectsOtherText(text: String) {
        #expect(AwsTimestamp.parse(text) == nil)
    }
}
