import VaultIO
import Testing
@testable import VaultRepository

@Suite struct WalArchiveNameTests {
    static let sha = "0123456789abcdef0123456789abcdef01234567"

    @Test(arguments: [
        ("000000010000000200000003-\(sha)", false, CompressionType.none),
        ("000000010000000200000003-\(sha).gz", false, .gz),
        ("0000000A000000020000000F.partial-\(sha).zst", true, .zst),
        ("000000010000000200000003-\(sha).bz2", false, .bz2),
        ("000000010000000200000003-\(sha).lz4", false, .lz4),
    ])
    func parsesStoredNames(name: String, partial: Bool, type: CompressionType) throws {
        let parsed = try #require(WalArchiveName(parsing: name))
        #expect(parsed.partial == partial && parsed.compressType == type && parsed.sha1 == Self.sha)
        #expect(parsed.fileName == name)
    }

    @Test(arguments: [
        "000000010000000200000003", "000000010000000200000003-\(sha).xz", "00000001000000020000000g-\(sha)",
        "000000010000000200000003-\(sha.uppercased())", "000000010000000200000003.00000028.backup", "00000002.history",
        "000000010000000200000003-\(sha)0", "000000010000000200000003.partia-\(sha)",
    ])
    func rejectsOtherNames(name: String) {
        #expect(WalArchiveName(parsing: name) == nil)
    }

    @Test func segmentClassification() {
        #expect(WalArchiveName.isSegment("000000010000000200000003"))
        #expect(WalArchiveName.isSegment("000000010000000200000003.partial"))
        #expect(!WalArchiveName.isSegment("000000010000000200000003.00000028.backup"))
        #expect(!WalArchiveName.isSegment("00000002.history"))
    }
}
