import Testing
import VaultCore
@testable import VaultCommands

@Suite struct RepoCommandTargetTests {
    @Test func relativePathsAreNormalisedAndATrailingSlashDropped() throws {
        #expect(try RepoCommandTarget.relativePath("backup/main/", repoPath: "/repo") == "backup/main")
        #expect(try RepoCommandTarget.relativePath("archive", repoPath: "/repo") == "archive")
        #expect(try RepoCommandTarget.relativePath("./archive/main", repoPath: "/repo") == "archive/main")
    }

    @Test func absolutePathsUnderTheRepositoryLoseItsPrefix() throws {
        #expect(try RepoCommandTarget.relativePath("/repo", repoPath: "/repo") == "")
        #expect(try RepoCommandTarget.relativePath("/repo/", repoPath: "/repo") == "")
        #expect(try RepoCommandTarget.relativePath("/repo/backup/main", repoPath: "/repo/") == "backup/main")
        #expect(try RepoCommandTarget.relativePath("/var/x", repoPath: "/") == "var/x")
    }

    @Test func pathsOutsideTheRepositoryOrWithDoubleSlashAre096() {
        for (path, message) in [("/repository2/x", "absolute path '/repository2/x' is not in base path '/repo'"),
                                ("backup//main", "path 'backup//main' cannot contain //")] {
            let error = #expect(throws: PGVError.self) { try RepoCommandTarget.relativePath(path, repoPath: "/repo") }
            #expect(error?.code == .paramInvalid)
            #expect(error?.message == message)
        }
        let escape = #expect(throws: PGVError.self) { try RepoCommandTarget.relativePath("backup/../..", repoPath: "/repo") }
        #expect(escape?.code == .paramInvalid)
    }
}
