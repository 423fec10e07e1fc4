import Synchronization
import Testing
import VaultCore
import VaultIO
@testable import VaultStorage

/// A reader that hands out small chunks slowly, so the writing side waits for data when it is cancelled.
private final class TricklingReader: StorageReader, @unchecked Sendable {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func read(maxLength: Int) async throws -> [UInt8]? {
        guard offset < bytes.count else { return nil }
        try await Task.sleep(for: .milliseconds(5))
        let end = min(bytes.count, offset + min(maxLength, 256))
        defer { offset = end }
        return Array(bytes[offset..<end])
    }

    func close() async {}
}

/// A stage that fails on the first byte it sees.
private final class FailingStage: ByteStage {
    func process(_ input: UnsafeRawBufferPointer, emit: ByteEmitter) throws {
        throw PGVError(.format, "stage failed on purpose")
    }
    func finish(emit: ByteEmitter) throws {}
}

@Suite struct PipelinedCopyTests {
    static let frontPool = BlockingPool(threads: 2)
    static let content: [UInt8] = (0..<3_000_000).map { UInt8(truncatingIfNeeded: ($0 / 7) &* 31) }

    /// Split across the two halves, compress+encrypt then decrypt+decompress gives back the input; the digests and
    /// counts are those of the plain and the stored bytes. POSIX writers take the back half's output on its pool
    /// thread (`BlockingStorageWriter`), memory writers through async `write`.
    @Test(arguments: DriverKind.allCases, [4096, 65_536, 1 << 20])
    func splitChainRoundTrips(driver: DriverKind, chunkSize: Int) async throws {
        try await withStorage(driver) { try await splitChainRoundTrips(storage: $0, chunkSize: chunkSize) }
    }

    func splitChainRoundTrips(storage: any Storage, chunkSize: Int) async throws {
        try await storage.put("src", Self.content)
        let plainHash = HashStage(.sha1), storedHash = HashStage(.sha1)
        let writer = try await storage.openWrite("dst", options: StorageWriteOptions())
        let result = try await PipelinedCopy.run(
            from: try await storage.openRead("src", offset: 0, length: nil),
            front: [plainHash, try CompressionType.lz4.compressStage()!],
            back: [try AESCipherStage(mode: .encrypt, passphrase: "pass"), storedHash],
            to: writer, frontPool: Self.frontPool, chunkSize: chunkSize)
        try await writer.commit()
        let stored = try await storage.get("dst")
        #expect(result.bytesRead == UInt64(Self.content.count))
        #expect(result.bytesWritten == UInt64(stored.count))
        #expect(plainHash.hexDigest == Digest.sha1Hex(Self.content))
        #expect(storedHash.hexDigest == Digest.sha1Hex(stored))
        let plain = try StagePipeline.transform(
            stored, through: [try AESCipherStage(mode: .decrypt, passphrase: "pass"),
                              try CompressionType.lz4.decompressStage()!])
        #expect(plain == Self.content)
    }

    /// 64 MiB of zero pages compress to a few KB with zstd; decompressed in the front half, they cross the hand-off
    /// in bounded batches and arrive whole.
    @Test func expandingFrontHalfIsBounded() async throws {
        let zeros = [UInt8](repeating: 0, count: 64 << 20)
        let stored = try StagePipeline.transform(zeros, through: [try CompressionType.zst.compressStage()!])
        let storage = MemoryStorage()
        try await storage.put("src", stored)
        let size = SizeStage()
        let writer = try await storage.openWrite("dst", options: StorageWriteOptions())
        try await PipelinedCopy.run(from: try await storage.openRead("src", offset: 0, length: nil),
                                    front: [try CompressionType.zst.decompressStage()!], back: [size], to: writer,
                                    frontPool: Self.frontPool)
        try await writer.commit()
        #expect(size.byteCount == UInt64(zeros.count))
        #expect(try await storage.info("dst")?.size == UInt64(zeros.count))
    }

    @Test func frontFailureIsRethrownAndNothingIsWritten() async throws {
        let storage = MemoryStorage()
        try await storage.put("src", Self.content)
        let writer = try await storage.openWrite("dst", options: StorageWriteOptions())
        let error = await #expect(throws: PGVError.self) {
            try await PipelinedCopy.run(from: try await storage.openRead("src", offset: 0, length: nil),
                                        front: [FailingStage()], back: [], to: writer, frontPool: Self.frontPool)
        }
        #expect(error?.message == "stage failed on purpose")
        await writer.abort()
        #expect(try await storage.info("dst") == nil)
    }

    @Test(arguments: DriverKind.allCases)
    func backFailureReleasesTheProducer(driver: DriverKind) async throws {
        try await withStorage(driver) { storage in
            try await storage.put("src", [UInt8](repeating: 9, count: 16 << 20))
            let writer = try await storage.openWrite("dst", options: StorageWriteOptions())
            await #expect(throws: PGVError.self) {
                try await PipelinedCopy.run(from: try await storage.openRead("src", offset: 0, length: nil),
                                            front: [], back: [FailingStage()], to: writer, frontPool: Self.frontPool)
            }
            await writer.abort()
            #expect(try await storage.info("dst") == nil)
        }
    }

    /// The direct path writes each batch as the back stages emit it: a pass-through back half over a POSIX writer
    /// stores exactly the front half's output, and the count returned is what reached the file.
    @Test func posixWriterTakesTheBackHalfOutputDirectly() async throws {
        try await withStorage(.posix) { storage in
            try await storage.put("src", Self.content)
            let writer = try await storage.openWrite("dst", options: StorageWriteOptions(atomic: false, sync: true))
            #expect(writer is any BlockingStorageWriter)
            let size = SizeStage()
            let result = try await PipelinedCopy.run(from: try await storage.openRead("src", offset: 0, length: nil),
                                                     front: [], back: [HashStage(.sha1), size], to: writer,
                                                     frontPool: Self.frontPool, chunkSize: 100_000)
            try await writer.commit()
            #expect(result.bytesWritten == UInt64(Self.content.count))
            #expect(size.byteCount == UInt64(Self.content.count))
            #expect(try await storage.get("dst") == Self.content)
        }
    }

    /// Regression: with process-max 2 a failing sibling job cancels this one while it waits for data; the stream
    /// iterator then ends quietly, the producer fills the hand-off and blocks for room, and the copy used to wait
    /// for it forever.
    @Test func cancellationWhileWaitingForDataEndsTheCopy() async throws {
        let zeros = [UInt8](repeating: 0, count: 64 << 20)
        let stored = try StagePipeline.transform(zeros, through: [try CompressionType.zst.compressStage()!])
        let target = MemoryStorage()
        let writer = try await target.openWrite("dst", options: StorageWriteOptions())
        let front: [any ByteStage] = [try CompressionType.zst.decompressStage()!]
        let work = Task {
            try await PipelinedCopy.run(from: TricklingReader(stored), front: front, back: [], to: writer,
                                        frontPool: Self.frontPool)
        }
        try await Task.sleep(for: .milliseconds(100))
        work.cancel()

        let finished = Mutex(false)
        Task { _ = await work.result; finished.withLock { $0 = true } }
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline, !finished.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
        #expect(finished.withLock { $0 }, "the cancelled copy must end instead of waiting for its blocked producer")
        if finished.withLock({ $0 }) {
            await #expect(throws: CancellationError.self) { try await work.value }
        }
        await writer.abort()
    }
}
