import Foundation
import VaultCore
@testable import VaultIO

/// Deterministic PostgreSQL-like bytes: 8 KiB heap pages of pgbench_accounts rows (blank-padded filler), pages of
/// md5 text rows, b-tree-like pages of sorted integers, incompressible (toast-like) pages and empty pages.
enum SampleData {
    static let pageSize = 8192

    /// `count` bytes of the mix, the same for the same `seed`.
    static func bytes(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(count + pageSize)
        var random = SplitMix(seed: seed)
        var pageNumber: UInt32 = 0
        while out.count < count {
            appendPage(to: &out, number: pageNumber, random: &random)
            pageNumber += 1
        }
        out.removeLast(out.count - count)
        return out
    }

    private static func appendPage(to out: inout [UInt8], number: UInt32, random: inout SplitMix) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: pageSize))
        out.withUnsafeMutableBufferPointer { buffer in
            let page = UnsafeMutableBufferPointer(rebasing: buffer[start..<(start + pageSize)])
            let kind = random.next() % 20
            // Page header: LSN, checksum, flags, lower/upper.
            store(random.next(), at: 0, in: page)
            store(UInt64(number), at: 8, in: page)
            switch kind {
            case 0..<8: // pgbench_accounts: 97-byte rows, 84-byte blank filler
                var upper = pageSize
                var pointer = 24
                while upper - 97 > pointer + 4 {
                    upper -= 97
                    store(UInt64(upper) | 0x8000_0000, at: pointer, in: page)
                    pointer += 4
                    store(random.next() & 0xffff, at: upper, in: page)
                    store(UInt64(number) * 61 + UInt64(pointer), at: upper + 23, in: page)
                    for index in (upper + 36)..<(upper + 97) { page[index] = 0x20 }
                }
            case 8..<13: // md5 text rows
                let hex = Array("0123456789abcdef".utf8)
                var index = 24
                while index < pageSize - 8 {
                    let value = random.next()
                    for shift in stride(from: 0, to: 64, by: 4) where index < pageSize {
                        page[index] = hex[Int((value >> UInt64(shift)) & 0xf)]
                        index += 1
                    }
                    if random.next() % 4 == 0 { index += 8 }
                }
            case 13..<16: // b-tree: sorted keys with small item headers
                var key = random.next() % 1_000_000
                for index in stride(from: 24, to: pageSize - 16, by: 16) {
                    key += random.next() % 7
                    store(key, at: index, in: page)
                    store(0x0010_0000 | UInt64(index), at: index + 8, in: page)
                }
            case 16..<18: // incompressible toast chunks
                for index in stride(from: 24, to: pageSize - 8, by: 8) { store(random.next(), at: index, in: page) }
            default: // empty page
                break
            }
        }
    }

    private static func store(_ value: UInt64, at offset: Int, in page: UnsafeMutableBufferPointer<UInt8>) {
        var value = value
        for index in offset..<min(offset + 8, page.count) {
            page[index] = UInt8(truncatingIfNeeded: value)
            value >>= 8
        }
    }
}

/// splitmix64: small, fast, deterministic.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// A 200 MiB sample file, generated once per test process (an 8 MiB mix repeated with every page renumbered, so no
/// compressor window sees the repetition) and removed at exit.
struct LargeSample: Sendable {
    static let size = 200 * 1024 * 1024
    static let shared: LargeSample = generate()
    private static let directory = TemporaryDirectory.make(prefix: "pgvault-io-large")

    let path: String
    let sha1: String

    private static func generate() -> LargeSample {
        let path = directory + "/sample-200MiB"
        atexit { try? FileManager.default.removeItem(atPath: LargeSample.directory) }
        let template = SampleData.bytes(8 * 1024 * 1024, seed: 42)
        let hash = HashStage(.sha1)
        let file = FileWriter(path: path)
        var chunk = [UInt8](repeating: 0, count: 1024 * 1024)
        var page: UInt64 = 0
        for offset in stride(from: 0, to: size, by: chunk.count) {
            let from = offset % template.count
            chunk.withUnsafeMutableBytes { out in
                template.withUnsafeBytes { out.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[from..<(from + out.count)])) }
                for pageOffset in stride(from: 0, to: out.count, by: SampleData.pageSize) {
                    out.storeBytes(of: page.littleEndian, toByteOffset: pageOffset + 16, as: UInt64.self)
                    page += 1
                }
            }
            chunk.withUnsafeBytes { bytes in
                try! hash.process(bytes) { file.write($0) }
            }
        }
        try! hash.finish { _ in }
        file.close()
        return LargeSample(path: path, sha1: hash.hexDigest)
    }
}

enum TemporaryDirectory {
    static func make(prefix: String) -> String {
        var template = Array("\(NSTemporaryDirectory())/\(prefix).XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Runs `body` with a fresh directory and removes it afterwards.
    static func with<T>(_ body: (String) throws -> T) rethrows -> T {
        let directory = make(prefix: "pgvault-io-test")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try body(directory)
    }
}

/// Appends to a file with write(2).
final class FileWriter {
    private let descriptor: Int32

    init(path: String) {
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(descriptor >= 0, "open \(path) failed")
    }

    func write(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            precondition(written > 0, "write failed")
            offset += written
        }
    }

    func close() { _ = Foundation.close(descriptor) }
}

enum StageStreaming {
    static let chunkSize = 1024 * 1024

    /// Streams the file at `path` through `stages` in 1 MiB reads (one reused buffer) and hands the output to
    /// `sink`, so a 200 MiB file is never held in memory.
    static func run(file path: String, through stages: [any ByteStage], sink: ByteEmitter) throws {
        let descriptor = open(path, O_RDONLY)
        precondition(descriptor >= 0, "open \(path) failed")
        defer { close(descriptor) }
        let pipeline = StagePipeline(stages)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, chunkSize)
            precondition(count >= 0, "read \(path) failed")
            if count == 0 { break }
            try pipeline.process(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), sink: sink)
        }
        try pipeline.finish(sink: sink)
    }

    /// Streams `input` through `stages` into the file at `output`.
    static func run(file input: String, through stages: [any ByteStage], into output: String) throws {
        let writer = FileWriter(path: output)
        defer { writer.close() }
        try run(file: input, through: stages) { writer.write($0) }
    }

    /// SHA-1 of a file, streamed.
    static func sha1(file path: String) throws -> String {
        let hash = HashStage(.sha1)
        try run(file: path, through: [hash]) { _ in }
        return hash.hexDigest
    }
}

enum Shell {
    /// Runs `command` with /bin/sh and returns its exit status; stderr goes to `stderrPath` when given.
    @discardableResult
    static func run(_ command: String) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: text, as: UTF8.self))
    }
}

extension PGVError {
    /// Runs `body` and returns the PGVError it threw, nil when it threw nothing.
    static func caught(_ body: () throws -> Void) -> PGVError? {
        do {
            try body()
            return nil
        } catch let error as PGVError {
            return error
        } catch {
            return PGVError(.unknown, "not a PGVError: \(error)")
        }
    }
}
