import VaultCore
import VaultIO
import VaultStorage

/// Checks one stored file (a WAL segment or a backup file, reference §9): its bytes are read from the repository
/// (`openRead`, at the bundle offset and length when bundled), hashed and counted as stored (SHA-1 + size, for
/// `rck`/`repo-size`), decrypted (AES-256-CBC, the archive.info or manifest sub-passphrase), decompressed by the
/// compression type, and hashed and counted again. Stage work runs on `pool` one 64 KiB chunk at a time and the
/// plain output is discarded, except, for WAL, its first bytes (the long page header, which gives the segment size). The outcome is never thrown: a missing file (055 from the driver) is `.missing`, a stream that fails to
/// decrypt or decompress is `.other` with the error, a digest or size that differs is `.checksum` or `.size`.
public struct VerifyFileJob: Sendable {
    public static let chunkSize = 64 * 1024
    /// Plain bytes kept from the start of the file (`WalPageHeader.size` is 40; pgBackRest reads 512).
    public static let headerSize = 512

    public enum Outcome: Sendable, Equatable {
        case valid
        case invalid(VerifyReport.Reason, detail: String)
    }

    public struct Result: Sendable, Equatable {
        public var outcome: Outcome
        /// Plain (decrypted, decompressed) size and SHA-1, when the stream could be read to its end.
        public var size: UInt64?
        public var checksum: String?
        /// The first `check.headerSize` plain bytes.
        public var header: [UInt8]
    }

    public let check: VerifyPlan.FileCheck
    public let storage: any Storage
    public let pool: BlockingPool

    public init(check: VerifyPlan.FileCheck, storage: any Storage, pool: BlockingPool) {
        self.check = check
        self.storage = storage
        self.pool = pool
    }

    public func run() async -> Result {
        do {
            return try await verify()
        } catch let error as PGVError where error.code == .fileMissing {
            return Result(outcome: .invalid(.missing, detail: error.message), header: [])
        } catch {
            let failure = PGVError.wrap(error)
            return Result(outcome: .invalid(.other, detail: "[\(failure.code)] \(failure.message)"), header: [])
        }
    }

    private func verify() async throws -> Result {
        var stages: [any ByteStage] = []
        if let cipherPass = check.cipherPass { stages.append(try AESCipherStage(mode: .decrypt, passphrase: cipherPass)) }
        if let decompress = try check.compressType.decompressStage() { stages.append(decompress) }
        let box = VerifyPipelineBox(decoding: stages, headerSize: check.headerSize)
        let reader = try await storage.openRead(check.path, offset: check.offset, length: check.length)
        do {
            while let chunk = try await reader.read(maxLength: Self.chunkSize) {
                try await pool.run { try box.process(chunk) }
            }
            await reader.close()
        } catch {
            await reader.close()
            throw error
        }
        let digests = try await pool.run { try box.finish() }
        let decoded = digests.decodeError == nil
        return Result(outcome: judge(digests), size: decoded ? digests.size : nil, checksum: decoded ? digests.checksum : nil,
                      header: digests.header)
    }

    /// Stored checksum and size first (what `rck` covers), then the content's.
    func judge(_ digests: VerifyPipelineBox.Digests) -> Outcome {
        if let expected = check.expectedRepoChecksum, digests.repoChecksum != expected {
            return .invalid(.checksum, detail: "stored bytes have checksum \(digests.repoChecksum), expected \(expected)")
        }
        if let expected = check.expectedRepoSize, digests.repoSize != expected {
            return .invalid(.size, detail: "stored size \(digests.repoSize), expected \(expected)")
        }
        if let error = digests.decodeError { return .invalid(.other, detail: "[\(error.code)] \(error.message)") }
        if digests.checksum != check.expectedChecksum {
            return .invalid(.checksum, detail: "checksum \(digests.checksum), expected \(check.expectedChecksum)")
        }
        if let expected = check.expectedSize, digests.size != expected {
            return .invalid(.size, detail: "size \(digests.size), expected \(expected)")
        }
        return .valid
    }
}

/// Carries the two pipelines of a verify job to pool threads: the stored bytes go through SHA-1 + size (what `rck`
/// and `repo-size` describe) and on into the decoding stages (decrypt, decompress) and a second SHA-1 + size. Output
/// is discarded but its first `headerSize` bytes. When decoding fails, the error is kept and the
/// stored bytes are still hashed to the end, so a damaged file with an `rck` is reported as a checksum mismatch.
/// Safe to share because its one owner, a job, awaits each pool call before the next.
final class VerifyPipelineBox: @unchecked Sendable {
    struct Digests: Sendable {
        var repoChecksum: String
        var repoSize: UInt64
        var checksum: String
        var size: UInt64
        var header: [UInt8]
        var decodeError: PGVError?
    }

    private let storedHash = HashStage(.sha1), storedSize = SizeStage()
    private let plainHash = HashStage(.sha1), plainSize = SizeStage()
    private let stored: StagePipeline
    private let decoding: StagePipeline
    private var decodeError: PGVError?
    private let headerSize: Int
    private var header: [UInt8] = []

    init(decoding stages: [any ByteStage], headerSize: Int) {
        self.headerSize = headerSize
        stored = StagePipeline([storedHash, storedSize])
        decoding = StagePipeline(stages + [plainHash, plainSize])
    }

    func process(_ chunk: [UInt8]) throws {
        try stored.process(chunk) { bytes in self.decode { try self.decoding.process(bytes, sink: self.keepHeader) } }
    }

    func finish() throws -> Digests {
        try stored.finish { bytes in self.decode { try self.decoding.process(bytes, sink: self.keepHeader) } }
        decode { try decoding.finish(sink: keepHeader) }
        let decoded = decodeError == nil
        return Digests(repoChecksum: storedHash.hexDigest, repoSize: storedSize.byteCount,
                       checksum: decoded ? plainHash.hexDigest : "", size: decoded ? plainSize.byteCount : 0,
                       header: header, decodeError: decodeError)
    }

    /// Runs a decoding step unless one already failed; a failure is kept, not thrown.
    private func decode(_ step: () throws -> Void) {
        guard decodeError == nil else { return }
        do { try step() } catch { decodeError = PGVError.wrap(error) }
    }

    private func keepHeader(_ bytes: UnsafeRawBufferPointer) {
        let room = headerSize - header.count
        if room > 0 { header.append(contentsOf: bytes.prefix(room)) }
    }
}
