import Testing
import VaultCore
import VaultIO
@testable import VaultStorage

/// XORs every byte with a key and emits through a fixed 4 KiB buffer, as a real cipher stage would.
private final class XorStage: ByteStage {
    let key: UInt8
    private var buffer = [UInt8](repeating: 0, count: 4096)
    private(set) var largestEmit = 0

    init(key: UInt8) { self.key = key }

    func process(_ input: UnsafeRawBufferPointer, emit: ByteEmitter) throws {
        var start = 0
        while start < input.count {
            let count = min(buffer.count, input.count - start)
            for index in 0..<count { buffer[index] = input[start + index] ^ key }
            try buffer.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            largestEmit = max(largestEmit, count)
            start += count
        }
    }

    func finish(emit: ByteEmitter) throws {}
}

/// Passes bytes through, counts them and appends the count as 8 little-endian bytes at finish.
private final class TrailerStage: ByteStage {
    private(set) var count: UInt64 = 0

    func process(_ input: UnsafeRawBufferPointer, emit: ByteEmitter) throws {
        count += UInt64(input.count)
        try emit(input)
    }

    func finish(emit: ByteEmitter) throws {
        try withUnsafeBytes(of: count.littleEndian) { try emit($0) }
    }
}

/// Fails once more than `limit` bytes went through.
private final class FailingStage: ByteStage {
    let limit: Int
    private var seen = 0

    init(limit: Int) { self.limit = limit }

    func process(_ input: UnsafeRawBufferPointer, emit: ByteEmitter) throws {
        seen += input.count
        if seen > limit { throw PGVError(.crypto, "test stage failed after \(limit) bytes") }
        try emit(input)
    }

    func finish(emit: ByteEmitter) throws {}
}

struct StorageCopyTests {
    @Test(arguments: DriverKind.allCases)
    func copiesThroughStagesChunkByChunk(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            let input = testBytes(3 << 20 + 17)
            try await storage.put("src/file", input)
            let xor = XorStage(key: 0x5a)
            let trailer = TrailerStage()
            let result = try await StorageCopy.copy(
                from: try await storage.openRead("src/file", offset: 0, length: nil), through: [xor, trailer],
                to: try await storage.openWrite("dst/file", options: StorageWriteOptions()), chunkSize: 64 * 1024)

            var expected = input.map { $0 ^ 0x5a }
            withUnsafeBytes(of: UInt64(input.count).littleEndian) { expected.append(contentsOf: $0) }
            let output = try await storage.get("dst/file")
            #expect(Digest.sha1Hex(output) == Digest.sha1Hex(expected))
            #expect(output == expected)
            #expect(result == StorageCopyResult(bytesRead: UInt64(input.count), bytesWritten: UInt64(expected.count)))
            #expect(trailer.count == UInt64(input.count))
            #expect(xor.largestEmit == 4096)
        }
    }

    @Test(arguments: DriverKind.allCases)
    func copiesARangeWithoutStages(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            let input = testBytes(100_000)
            try await storage.put("src", input)
            let result = try await StorageCopy.copy(
                from: try await storage.openRead("src", offset: 1000, length: 50_000), through: [],
                to: try await storage.openWrite("dst", options: StorageWriteOptions()), chunkSize: 4096)
            #expect(try await storage.get("dst") == Array(input[1000..<51_000]))
            #expect(result.bytesRead == 50_000)
            #expect(result.bytesWritten == 50_000)
        }
    }

    @Test(arguments: DriverKind.allCases)
    func copiesAnEmptyFile(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            try await storage.put("empty", [])
            let trailer = TrailerStage()
            try await StorageCopy.copy(
                from: try await storage.openRead("empty", offset: 0, length: nil), through: [trailer],
                to: try await storage.openWrite("out", options: StorageWriteOptions()))
            #expect(try await storage.get("out") == [0, 0, 0, 0, 0, 0, 0, 0])
        }
    }

    @Test(arguments: DriverKind.allCases)
    func stageFailureAbortsTheWriter(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            try await storage.put("src", testBytes(1 << 20))
            try await storage.put("out/dst", [1, 2, 3])
            let reader = try await storage.openRead("src", offset: 0, length: nil)
            let error = await pgvError {
                try await StorageCopy.copy(
                    from: reader, through: [FailingStage(limit: 300_000)],
                    to: try await storage.openWrite("out/dst", options: StorageWriteOptions()), chunkSize: 128 * 1024)
            }
            #expect(error == PGVError(.crypto, "test stage failed after 300000 bytes"))
            #expect(try await storage.get("out/dst") == [1, 2, 3])
            #expect(try await storage.list("out").map(\.name) == ["dst"])
            #expect(await pgvError { _ = try await reader.read(maxLength: 1) }?.code == .fileRead)
        }
    }

    @Test(arguments: DriverKind.allCases)
    func readFailureAbortsTheWriter(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            try await storage.pathCreate("a-directory", mode: 0o750)
            let error = await pgvError {
                try await StorageCopy.copy(
                    from: try await storage.openRead("a-directory", offset: 0, length: nil), through: [],
                    to: try await storage.openWrite("out/dst", options: StorageWriteOptions()))
            }
            #expect(error?.code == .fileRead)
            #expect(try await storage.list("out").isEmpty)
        }
    }
}
