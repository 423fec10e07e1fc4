import Testing
import VaultCore
import VaultStorage
@testable import VaultRepository

@Suite struct InfoFileStoreTests {
    let path = "archive/main/archive.info"
    let info = ArchiveInfo(systemId: 7712362098826484028, version: "15", cipherPass: "sub")

    @Test func saveWritesIdenticalMainAndCopy() async throws {
        let storage = MemoryStorage()
        let store = InfoFileStore(storage: storage)
        try await store.save(info, to: path, passphrase: nil)
        let main = try await storage.getIfExists(path)
        #expect(main == info.render())
        #expect(try await storage.getIfExists(path + ".copy") == main)
    }

    @Test func corruptMainFallsBackToCopy() async throws {
        let storage = MemoryStorage()
        let store = InfoFileStore(storage: storage)
        try await store.save(info, to: path, passphrase: nil)
        var corrupt = info.render()
        corrupt[corrupt.count - 3] = UInt8(ascii: "0") == corrupt[corrupt.count - 3] ? UInt8(ascii: "1") : UInt8(ascii: "0")
        try await storage.put(path, corrupt)
        let loaded = try await store.load(ArchiveInfo.self, from: path, passphrase: nil)
        #expect(loaded.value == info && loaded.usedCopy && loaded.mainError?.code == .checksum)
    }

    @Test func missingMainFallsBackToCopyAndReportsIt() async throws {
        let storage = MemoryStorage()
        let store = InfoFileStore(storage: storage)
        try await store.save(info, to: path, passphrase: nil)
        try await storage.remove(path, errorOnMissing: true)
        let fallbacks = Counter()
        let loaded = try await store.load(ArchiveInfo.self, from: path, passphrase: nil) { _ in fallbacks.increment() }
        #expect(loaded.value == info && loaded.usedCopy && loaded.mainError?.code == .fileMissing)
        #expect(fallbacks.value == 1)
    }

    @Test func missingCopyUsesMainWithoutFallback() async throws {
        let storage = MemoryStorage()
        let store = InfoFileStore(storage: storage)
        try await store.save(info, to: path, passphrase: nil)
        try await storage.remove(path + ".copy", errorOnMissing: true)
        let loaded = try await store.load(ArchiveInfo.self, from: path, passphrase: nil)
        #expect(loaded.value == info && !loaded.usedCopy)
    }

    @Test func bothMissingIsFileMissing() async throws {
        let store = InfoFileStore(storage: MemoryStorage())
        await #expect(throws: PGVError(.fileMissing, "unable to load info file '\(path)' or '\(path).copy': [055] unable to open missing file '/memory/\(path)' for read; [055] unable to open missing file '/memory/\(path).copy' for read")) {
            try await store.load(ArchiveInfo.self, from: path, passphrase: nil)
        }
    }

    @Test func bothCorruptGivesFirstErrorWithHint() async throws {
        let storage = MemoryStorage()
        try await storage.put(path, Array("garbage\n".utf8))
        try await storage.put(path + ".copy", Array("[backrest]\nbackrest-format=4\n".utf8))
        do {
            _ = try await InfoFileStore(storage: storage).load(ArchiveInfo.self, from: path, passphrase: nil)
            Issue.record("loaded garbage")
        } catch let error as PGVError {
            #expect(error.code == .format)
            #expect(error.hint == "is or was the repo encrypted?")
            #expect(error.message.contains("expected format 5 but found 4 in '\(path).copy'"))
        }
    }

    @Test func encryptedRoundTripWritesSameCiphertextTwice() async throws {
        let storage = MemoryStorage()
        let store = InfoFileStore(storage: storage)
        try await store.save(info, to: path, passphrase: "repo-secret")
        let main = try #require(try await storage.getIfExists(path))
        #expect(Array(main.prefix(8)) == Array("Salted__".utf8))
        #expect(try await storage.getIfExists(path + ".copy") == main)
        let loaded = try await store.load(ArchiveInfo.self, from: path, passphrase: "repo-secret")
        #expect(loaded.value == info && !loaded.usedCopy)
    }

    @Test func wrongOrMissingPassphraseFailsWithCryptoOrHintedError() async throws {
        let storage = MemoryStorage()
        let store = InfoFileStore(storage: storage)
        try await store.save(info, to: path, passphrase: "repo-secret")
        for passphrase in ["wrong", "another-wrong", nil] as [String?] {
            do {
                _ = try await store.load(ArchiveInfo.self, from: path, passphrase: passphrase)
                Issue.record("loaded with wrong passphrase")
            } catch let error as PGVError {
                #expect([ErrorCode.crypto, .format, .checksum, .jsonFormat].contains(error.code))
                #expect(error.hint == "is or was the repo encrypted?")
            }
        }
        try await store.save(info, to: path, passphrase: nil)
        await #expect(throws: PGVError.self) { try await store.load(ArchiveInfo.self, from: path, passphrase: "repo-secret") }
    }

    @Test func historyManifestIsGzipThenEncrypted() async throws {
        let storage = MemoryStorage()
        let store = InfoFileStore(storage: storage)
        let manifest = try Manifest.parse(Array(IncrManifestFixture.text.utf8))
        let historyPath = RepositoryLayout(stanza: "main").historyManifestPath(manifest.backup.label)
        try await store.saveHistoryManifest(manifest, to: historyPath, passphrase: "manifest-pass")
        #expect(try await store.loadHistoryManifest(from: historyPath, passphrase: "manifest-pass") == manifest)
        try await store.saveHistoryManifest(manifest, to: historyPath, passphrase: nil)
        let plain = try #require(try await storage.getIfExists(historyPath))
        #expect(plain.prefix(2) == [0x1f, 0x8b])
        #expect(try await store.loadHistoryManifest(from: historyPath, passphrase: nil).render() == manifest.render())
    }

    @Test func manifestCopyFirstAndCopyOnly() async throws {
        let storage = MemoryStorage()
        let store = InfoFileStore(storage: storage)
        let manifest = try Manifest.parse(Array(IncrManifestFixture.text.utf8))
        let manifestPath = RepositoryLayout(stanza: "main").manifestPath(manifest.backup.label)
        try await store.saveCopyOnly(manifest, to: manifestPath, passphrase: "p")
        #expect(try await storage.getIfExists(manifestPath) == nil)
        try await store.save(manifest, to: manifestPath, passphrase: "p", order: .copyFirst)
        #expect(try await storage.getIfExists(manifestPath) == (try await storage.getIfExists(manifestPath + ".copy")))
        #expect(try await store.load(Manifest.self, from: manifestPath, passphrase: "p").value == manifest)
    }
}

/// A thread-safe counter for the fallback callback.
final class Counter: @unchecked Sendable {
    private let lock = NSLockLike()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

#if canImport(Glibc)
import Glibc
#endif

/// pthread mutex wrapper (Foundation is not imported by these tests).
final class NSLockLike: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func withLock<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
