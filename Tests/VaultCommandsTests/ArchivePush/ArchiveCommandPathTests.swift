import Testing
import VaultCore
@testable import VaultCommands

@Suite struct ArchiveCommandPathTests {
    @Test func relativePathsAreUnderPgPath() throws {
        #expect(try ArchiveCommandPath.absolute("pg_wal/000000010000000000000001", pgPath: "/data/pg", command: "archive-push")
                == "/data/pg/pg_wal/000000010000000000000001")
        #expect(try ArchiveCommandPath.absolute("/wal/x", pgPath: nil, command: "archive-push") == "/wal/x")
        #expect(throws: PGVError(.optionRequired, "option 'pg1-path' must be specified when relative wal paths are used",
                                 hint: "archive-push is given 'pg_wal/x'; pass an absolute path or set pg1-path")) {
            _ = try ArchiveCommandPath.absolute("pg_wal/x", pgPath: nil, command: "archive-push")
        }
    }

    @Test(arguments: [("/a/b/c", "/a/b", "c"), ("/c", "/", "c")])
    func split(path: String, directory: String, name: String) {
        #expect(ArchiveCommandPath.split(path) == (directory, name))
    }
}
