import Testing
import VaultStorage
@testable import VaultCommands

@Suite struct ArchiveWalListingTests {
    @Test func listsWalNamesWithStoredSizesSorted() {
        let sha = String(repeating: "d", count: 40)
        let listing = [
            StorageInfo(name: "0000000100000000", type: .path),
            StorageInfo(name: "0000000100000000/000000010000000000000002-\(sha).lz4", type: .file, size: 20),
            StorageInfo(name: "0000000100000000/000000010000000000000001-\(sha).lz4", type: .file, size: 10),
            StorageInfo(name: "0000000100000000/000000010000000000000001.00000028.backup", type: .file, size: 300),
            StorageInfo(name: "0000000100000000/000000010000000000000003.partial-\(sha)", type: .file, size: 5),
            StorageInfo(name: "0000000100000000/000000010000000000000004-\(sha).lz4.pgbackrest.tmp", type: .file, size: 1),
            StorageInfo(name: "00000002.history", type: .file, size: 42),
        ]
        #expect(ArchiveWalListing.entries(listing).map(\.line) == [
            "000000010000000000000001 10",
            "000000010000000000000001.00000028.backup 300",
            "000000010000000000000002 20",
            "000000010000000000000003.partial 5",
            "00000002.history 42",
        ])
    }
}
