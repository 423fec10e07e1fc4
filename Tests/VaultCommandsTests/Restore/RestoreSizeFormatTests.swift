import Testing
@testable import VaultCommands

@Suite struct RestoreSizeFormatTests {
    static let rows: [(UInt64, String)] = [(0, "0B"), (1023, "1023B"), (1024, "1KB"), (8192, "8KB"),
                                           (1_572_864, "1.5MB"), (3_221_225_472, "3GB")]

    @Test(arguments: rows)
    func sizes(_ bytes: UInt64, _ text: String) {
        #expect(RestoreSizeFormat.text(bytes) == text)
    }

    @Test func percentHasTwoDecimals() {
        #expect(RestoreCommand.twoDecimals(12.5) == "12.50")
        #expect(RestoreCommand.twoDecimals(0.014) == "0.01")
        #expect(RestoreCommand.twoDecimals(100) == "100.00")
    }
}
