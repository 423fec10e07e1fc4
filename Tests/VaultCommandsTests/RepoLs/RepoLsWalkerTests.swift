import Testing
import VaultStorage
@testable import VaultCommands

@Suite struct RepoLsWalkerTests {
    /// `b/` (holding `b/y` and `b/c/z`), `a`, and the empty directory `d/`.
    func tree() async throws -> MemoryStorage {
        let storage = MemoryStorage()
        try await storage.put("top/a", [1])
        try await storage.put("top/b/y", [1, 2])
        try await storage.put("top/b/c/z", [3])
        try await storage.pathCreate("top/d", mode: 0o750)
        return storage
    }

    func names(_ storage: MemoryStorage, _ options: RepoLsOptions, filter: String? = nil,
               path: String = "top") async throws -> [String] {
        var names: [String] = []
        let walker = RepoLsWalker(storage: storage, options: options, filter: try filter.map { try RepoLsFilter($0) })
        try await walker.walk(path) { names.append($0.name) }
        return names
    }

    @Test func ascendingListsOneLevelByNameBytes() async throws {
        #expect(try await names(try await tree(), RepoLsOptions()) == ["a", "b", "d"])
    }

    @Test func recursionPutsContentAfterItsDirectoryAscendingAndBeforeItDescending() async throws {
        let storage = try await tree()
        #expect(try await names(storage, RepoLsOptions(recurse: true)) == ["a", "b", "b/c", "b/c/z", "b/y", "d"])
        #expect(try await names(storage, RepoLsOptions(sort: .desc, recurse: true))
            == ["d", "b/y", "b/c/z", "b/c", "b", "a"])
    }

    @Test func theFilterMatchesRelativeNamesAndStillDescendsIntoUnmatchedDirectories() async throws {
        let storage = try await tree()
        #expect(try await names(storage, RepoLsOptions(recurse: true), filter: "z$") == ["b/c/z"])
        #expect(try await names(storage, RepoLsOptions(recurse: true), filter: "^b/") == ["b/c", "b/c/z", "b/y"])
        #expect(try await names(storage, RepoLsOptions(), filter: "z$") == [])
    }

    @Test func aMissingPathListsNothing() async throws {
        #expect(try await names(try await tree(), RepoLsOptions(recurse: true), path: "nowhere") == [])
    }

    @Test func unsortedListingKeepsEveryEntry() async throws {
        let listed = try await names(try await tree(), RepoLsOptions(sort: .none, recurse: true))
        #expect(listed.sorted() == ["a", "b", "b/c", "b/c/z", "b/y", "d"])
        // Content still follows its directory.
        #expect(listed.firstIndex(of: "b")! < listed.firstIndex(of: "b/y")!)
    }
}
