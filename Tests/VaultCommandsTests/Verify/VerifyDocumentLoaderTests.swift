import Testing
import VaultCore
import VaultRepository
import VaultStorage
@testable import VaultCommands

@Suite struct VerifyDocumentLoaderTests {
    static let path = "archive/main/archive.info"

    func saved(passphrase: String? = "user-pass") async throws -> (MemoryStorage, VerifyDocumentLoader) {
        let storage = MemoryStorage()
        let store = InfoFileStore(storage: storage)
        try await store.save(ArchiveInfo(systemId: 7, version: "15", cipherPass: "sub"), to: Self.path, passphrase: passphrase)
        return (storage, VerifyDocumentLoader(store: store))
    }

    @Test func bothGoodIsNoProblem() async throws {
        let (_, loader) = try await saved()
        let loaded = await loader.load(ArchiveInfo.self, from: Self.path, passphrase: "user-pass")
        #expect(loaded.value?.cipherPass == "sub")
        #expect(loaded.problems.isEmpty)
    }

    @Test func aCorruptCopyIsNamedWhileTheMainIsUsed() async throws {
        let (storage, loader) = try await saved(passphrase: nil)
        var bytes = try await storage.get(Self.path + ".copy")
        bytes[bytes.count - 10] ^= 0x01
        try await storage.put(Self.path + ".copy", bytes)
        let loaded = await loader.load(ArchiveInfo.self, from: Self.path, passphrase: nil)
        #expect(loaded.value != nil)
        #expect(loaded.problems.map(\.path) == [Self.path + ".copy"])
        #expect(loaded.problems.first?.reason == .checksum)
    }

    @Test func aMissingMainFallsBackToTheCopy() async throws {
        let (storage, loader) = try await saved()
        try await storage.remove(Self.path, errorOnMissing: true)
        let loaded = await loader.load(ArchiveInfo.self, from: Self.path, passphrase: "user-pass")
        #expect(loaded.value?.cipherPass == "sub")
        #expect(loaded.mainMissing)
        #expect(loaded.problems.map(\.reason) == [.missing])
    }

    @Test func aDifferentButValidCopyIsAWarningNotAProblem() async throws {
        let (storage, loader) = try await saved()
        let other = InfoFileStore(storage: MemoryStorage())
        try await storage.put(Self.path + ".copy", try await other.encode(ArchiveInfo(systemId: 8, version: "15"),
                                                                          passphrase: "user-pass"))
        let loaded = await loader.load(ArchiveInfo.self, from: Self.path, passphrase: "user-pass")
        #expect(loaded.value?.current.systemId == 7)
        // A save killed between its two renames leaves exactly this: both checksums valid, contents apart.
        #expect(loaded.problems.isEmpty)
        #expect(loaded.warnings == ["'\(Self.path).copy' does not match '\(Self.path)', using the main file"])
    }

    @Test func aMissingCopyNextToAGoodMainIsAWarningNotAProblem() async throws {
        let (storage, loader) = try await saved()
        try await storage.remove(Self.path + ".copy", errorOnMissing: true)
        let loaded = await loader.load(ArchiveInfo.self, from: Self.path, passphrase: "user-pass")
        #expect(loaded.value?.cipherPass == "sub")
        #expect(loaded.problems.isEmpty)
        #expect(loaded.warnings == ["'\(Self.path).copy' is missing, using '\(Self.path)'"])
    }

    @Test func bothMissingIsReportedAsSuch() async throws {
        let loaded = await VerifyDocumentLoader(store: InfoFileStore(storage: MemoryStorage()))
            .load(ArchiveInfo.self, from: Self.path, passphrase: nil)
        #expect(loaded.value == nil)
        #expect(loaded.bothMissing)
        #expect(loaded.problems.isEmpty)
    }

    @Test func aWrongPassphraseMakesBothUnusable() async throws {
        let (_, loader) = try await saved()
        let loaded = await loader.load(ArchiveInfo.self, from: Self.path, passphrase: "wrong")
        #expect(loaded.value == nil)
        #expect(!loaded.bothMissing)
        #expect(loaded.problems.count == 2)
    }
}
