import Synchronization
import Testing
import VaultCore
@testable import VaultStorage

@Suite struct DeferredStorageWriterTests {
    static func bytes(_ value: UInt8, _ count: Int) -> [UInt8] { [UInt8](repeating: value, count: count) }

    @Test func heldBytesReachTheAttachedWriterInOrder() async throws {
        let storage = MemoryStorage()
        let deferred = DeferredStorageWriter(bufferLimit: 1000)
        try await deferred.write(Self.bytes(1, 400))
        try await deferred.write(Self.bytes(2, 400))
        #expect(try await storage.info("f") == nil)
        try await deferred.attach(try await storage.openWrite("f", options: StorageWriteOptions()))
        try await deferred.write(Self.bytes(3, 10))
        try await deferred.commit()
        #expect(try await storage.get("f") == Self.bytes(1, 400) + Self.bytes(2, 400) + Self.bytes(3, 10))
    }

    /// Past the limit a write waits for `attach` instead of holding more, and lands after the held bytes.
    @Test func writePastTheLimitWaitsForAttach() async throws {
        let storage = MemoryStorage()
        let deferred = DeferredStorageWriter(bufferLimit: 100)
        try await deferred.write(Self.bytes(1, 100))
        let done = Mutex(false)
        let late = Task {
            try await deferred.write(Self.bytes(2, 50))
            done.withLock { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(done.withLock { $0 } == false)
        try await deferred.attach(try await storage.openWrite("f", options: StorageWriteOptions()))
        try await late.value
        try await deferred.commit()
        #expect(try await storage.get("f") == Self.bytes(1, 100) + Self.bytes(2, 50))
    }

    @Test func abortFailsAWaitingAndLaterWrites() async throws {
        let deferred = DeferredStorageWriter(bufferLimit: 10)
        try await deferred.write(Self.bytes(1, 10))
        let late = Task { try await deferred.write(Self.bytes(2, 10)) }
        try await Task.sleep(for: .milliseconds(20))
        await deferred.abort()
        await #expect(throws: CancellationError.self) { try await late.value }
        await #expect(throws: CancellationError.self) { try await deferred.write(Self.bytes(3, 1)) }
    }

    @Test func abortAfterAttachAbortsTheRealWriter() async throws {
        let storage = MemoryStorage()
        let deferred = DeferredStorageWriter(bufferLimit: 10)
        try await deferred.write(Self.bytes(1, 5))
        try await deferred.attach(try await storage.openWrite("f", options: StorageWriteOptions()))
        await deferred.abort()
        #expect(try await storage.info("f") == nil)
    }
}
