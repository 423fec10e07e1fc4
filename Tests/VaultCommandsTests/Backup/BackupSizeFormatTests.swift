import Testing
@testable import VaultCommands

@Suite struct BackupSizeFormatTests {
    @Test(arguments: [(UInt64(0), "0B"), (1023, "1023B"), (1024, "1KB"), (8192, "8KB"), (1536, "1.5KB"),
                      (39_237_688, "37.4MB"), (1 << 30, "1GB"), (3 << 40, "3TB")])
    func sizes(_ size: UInt64, _ text: String) {
        #expect(BackupSizeFormat.render(size) == text)
    }

    @Test func percentages() {
        #expect(BackupSizeFormat.percent(1, of: 300) == "0.33")
        #expect(BackupSizeFormat.percent(300, of: 300) == "100.00")
        #expect(BackupSizeFormat.percent(0, of: 0) == "100.00")
        #expect(BackupSizeFormat.percent(5, of: 100) == "5.00")
    }

    @Test func walSegmentRangeCrossesTheLogBoundary() throws {
        #expect(try BackupWalWait.segments(from: "0000000100000000000000FE", to: "000000010000000100000001",
                                           segmentSize: 16 << 20)
                == ["0000000100000000000000FE", "0000000100000000000000FF", "000000010000000100000000",
                    "000000010000000100000001"])
        #expect(try BackupWalWait.segments(from: "000000010000000000000003", to: "000000010000000000000003",
                                           segmentSize: 16 << 20) == ["000000010000000000000003"])
    }
}
