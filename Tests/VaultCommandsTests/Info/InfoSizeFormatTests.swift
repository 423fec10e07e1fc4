import Testing
@testable import VaultCommands

@Suite struct InfoSizeFormatTests {
    /// Values and strings from a real `pgbackrest info` (2.45) run, plus the unit boundaries.
    @Test(arguments: [
        (UInt64(0), "0B"), (560, "560B"), (1023, "1023B"), (1024, "1KB"), (8458, "8.3KB"), (361_904, "353.4KB"),
        (1_048_575, "1024.0KB"), (1_048_576, "1MB"), (1_851_658, "1.8MB"), (4_578_464, "4.4MB"), (23_213_899, "22.1MB"),
        (23_582_539, "22.5MB"), (1_073_741_824, "1GB"), (1_610_612_736, "1.5GB"),
    ])
    func formatsLikePgBackRest(size: UInt64, expected: String) {
        #expect(InfoSizeFormat.format(size) == expected)
    }
}
