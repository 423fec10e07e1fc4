import Testing
import VaultCore
import VaultStorage

struct StoragePathTests {
    @Test(arguments: [
        ("a/b/c", "a/b/c"), ("a//b/", "a/b"), ("./a/./b", "a/b"), ("", ""), (".", ""), ("a", "a"),
        ("archive/main/16-1/0000000100000001", "archive/main/16-1/0000000100000001"),
    ])
    func normalizes(input: String, expected: String) throws {
        #expect(try StoragePath.normalize(input) == expected)
    }

    @Test(arguments: ["/etc/passwd", "../x", "a/../b", "a/..", "..", "a/\u{0}b"])
    func rejectsEscapes(path: String) {
        #expect(throws: PGVError.self) { try StoragePath.normalize(path) }
        do {
            _ = try StoragePath.normalize(path)
        } catch let error as PGVError {
            #expect(error.code == .paramInvalid)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func rootIsRejectedWhereAFileIsNeeded() throws {
        #expect(try StoragePath.normalize("", allowRoot: true) == "")
        #expect(throws: PGVError(.paramInvalid, "path './' names the storage root, a file path is required")) {
            try StoragePath.normalize("./", allowRoot: false)
        }
    }

    @Test func joinsAndSplits() {
        #expect(StoragePath.join("", "a") == "a")
        #expect(StoragePath.join("a", "") == "a")
        #expect(StoragePath.join("a/b", "c") == "a/b/c")
        #expect(StoragePath.parent("a/b/c") == "a/b")
        #expect(StoragePath.parent("a") == "")
        #expect(StoragePath.lastComponent("a/b/c") == "c")
        #expect(StoragePath.lastComponent("c") == "c")
    }

    @Test func sortsByBytesLikeStrcmp() {
        let names = ["pg_data/backup_label", "pg_data/PG_VERSION", "a/b", "a-x", "a", "Z", "_"]
        #expect(names.sorted(by: StoragePath.byteOrder)
            == ["Z", "_", "a", "a-x", "a/b", "pg_data/PG_VERSION", "pg_data/backup_label"])
    }
}
