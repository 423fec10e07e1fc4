import Testing
@testable import VaultPostgres

struct WalFileKindTests {
    @Test(arguments: [
        ("000000010000000000000003", WalFileKind.segment),
        ("000000010000000000000003.partial", .partial),
        ("000000010000000000000003.00000028.backup", .backup),
        ("00000002.history", .history),
        ("0000000A.history", .history),
        ("00000001000000000000000a", .other),
        ("000000010000000000000003.partial.tmp", .other),
        ("000000010000000000000003.0000002.backup", .other),
        ("0000002.history", .other),
        ("RECOVERYHISTORY", .other),
        ("archive_status", .other),
    ])
    func classifiesByName(name: String, kind: WalFileKind) {
        #expect(WalFileKind(fileName: name) == kind)
    }

    @Test func segmentDataKinds() {
        #expect(WalFileKind.segment.isSegmentData)
        #expect(WalFileKind.partial.isSegmentData)
        #expect(!WalFileKind.backup.isSegmentData)
        #expect(!WalFileKind.history.isSegmentData)
    }
}
