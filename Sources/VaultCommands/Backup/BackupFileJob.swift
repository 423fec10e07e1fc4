import VaultCore
import VaultIO
import VaultPostgres
import VaultRepository
import VaultStorage

/// Copies one PGDATA file into a backup set (reference §5 step 10): the file is read once through
/// SHA-1 → size → page-checksum check (relation files, when enabled) → compress → encrypt → SHA-1 → size and
/// written to `<set>/<name><ext>`. The stage work runs on the job's `BlockingPool` (sized to process-max); reads
/// and writes go through the `Storage` drivers.
///
/// Before copying, a delta candidate is hashed and kept as a reference when its SHA-1 still matches, and a file
/// left by an interrupted backup (resume) is kept when its stored bytes still hash to the recorded `rck`.
public struct BackupFileJob: Sendable {
    /// What to do with the file.
    public struct Input: Sendable {
        /// Manifest name (`pg_data/base/1/1259`).
        public var name: String
        /// Path inside the source storage.
        public var sourcePath: String
        /// Repository path of the stored file (`backup/<stanza>/<label>/<name><ext>`).
        public var repoPath: String
        /// Validate page checksums, and the file's segment number for absolute block numbers.
        public var pageChecksumSegment: UInt32?
        /// Pages at or after the backup start LSN are not checked (they may be torn and are rewritten by WAL).
        public var pageChecksumLsnLimit: Lsn?
        /// Delta: the SHA-1 of the referenced copy; the file is not copied when it still matches.
        public var deltaChecksum: String?
        /// Resume: the entry of an earlier attempt whose stored bytes may be kept.
        public var resumed: ManifestFile?

        public init(name: String, sourcePath: String, repoPath: String, pageChecksumSegment: UInt32? = nil,
                    pageChecksumLsnLimit: Lsn? = nil, deltaChecksum: String? = nil, resumed: ManifestFile? = nil) {
            self.name = name
            self.sourcePath = sourcePath
            self.repoPath = repoPath
            self.pageChecksumSegment = pageChecksumSegment
            self.pageChecksumLsnLimit = pageChecksumLsnLimit
            self.deltaChecksum = deltaChecksum
            self.resumed = resumed
        }
    }

    /// What happened.
    public enum Outcome: Sendable, Equatable {
        /// Stored in the new set.
        case copied
        /// Delta: the SHA-1 matched the reference; nothing stored.
        case matched
        /// Resume: the earlier attempt's stored file verified and was kept.
        case resumed
        /// The file vanished before it could be read (dropped from the manifest).
        case missing
    }

    public struct Result: Sendable, Equatable {
        public var name: String
        public var outcome: Outcome
        /// Bytes read (the size recorded in the manifest).
        public var size: UInt64
        /// SHA-1 of the original content.
        public var checksum: String
        /// Bytes stored.
        public var repoSize: UInt64
        /// SHA-1 of the stored bytes, nil when they equal the original (no compression, no encryption).
        public var repoChecksum: String?
        /// Page-checksum result when checked.
        public var pageChecksum: PageChecksumResult?
    }

    public let source: any Storage
    public let repository: any Storage
    public let compressType: CompressionType
    public let compressLevel: Int
    /// The set's manifest `cipher-pass`; nil when the repository is not encrypted.
    public let cipherPass: String?
    public let pool: BlockingPool
    public let chunkSize: Int

    public init(source: any Storage, repository: any Storage, compressType: CompressionType, compressLevel: Int,
                cipherPass: String?, pool: BlockingPool, chunkSize: Int = 1 << 20) {
        self.source = source
        self.repository = repository
        self.compressType = compressType
        self.compressLevel = compressLevel
        self.cipherPass = cipherPass
        self.pool = pool
        self.chunkSize = chunkSize
    }

    /// Runs the job. Read, stage and write errors are rethrown; a source file that is missing gives `.missing`.
    public func run(_ input: Input) async throws -> Result {
        if let resumed = input.resumed, let kept = try await verifyResumed(input, resumed) { return kept }
        if let expected = input.deltaChecksum {
            guard let (size, checksum) = try await hashSource(input.sourcePath) else { return missing(input) }
            if checksum == expected {
                return Result(name: input.name, outcome: .matched, size: size, checksum: checksum, repoSize: 0,
                              repoChecksum: nil, pageChecksum: nil)
            }
        }
        return try await copy(input)
    }

    private func missing(_ input: Input) -> Result {
        Result(name: input.name, outcome: .missing, size: 0, checksum: RepositoryFormat.emptySHA1, repoSize: 0,
               repoChecksum: nil, pageChecksum: nil)
    }

    /// Streams the source through the stage chain into the repository.
    private func copy(_ input: Input) async throws -> Result {
        let reader: any StorageReader
        do {
            reader = try await source.openRead(input.sourcePath, offset: 0, length: nil)
        } catch let error as PGVError where error.code == .fileMissing {
            return missing(input)
        }
        let stored = compressType != .none || cipherPass != nil
        let chain = try StageChain(
            pageChecksum: input.pageChecksumSegment.map { PageChecksumStage(segmentNumber: $0, lsnLimit: input.pageChecksumLsnLimit) },
            compress: try compressType.compressStage(level: compressLevel),
            encrypt: try cipherPass.map { try AESCipherStage(mode: .encrypt, passphrase: $0) })
        let writer: any StorageWriter
        do {
            writer = try await repository.openWrite(input.repoPath, options: StorageWriteOptions())
        } catch {
            await reader.close()
            throw error
        }
        try await pump(reader: reader, chain: chain, writer: writer)
        return Result(name: input.name, outcome: .copied, size: chain.size.byteCount, checksum: chain.hash.hexDigest,
                      repoSize: chain.repoSize.byteCount, repoChecksum: stored ? chain.repoHash.hexDigest : nil,
                      pageChecksum: chain.pageChecksum?.result)
    }

    /// Commits at the end, aborts on any failure.
    /// Hashing and page checks run on `pool` while compression, encryption and the stored-bytes hash run on the
    /// shared pool with the write (`PipelinedCopy`), so one large relation keeps two cores busy.
    private func pump(reader: any StorageReader, chain: StageChain, writer: any StorageWriter) async throws {
        do {
            try await PipelinedCopy.run(from: reader, front: chain.front, back: chain.back, to: writer,
                                        frontPool: pool, chunkSize: chunkSize)
            await reader.close()
            try await writer.commit()
        } catch {
            await reader.close()
            await writer.abort()
            throw error
        }
    }

    private func hashSource(_ path: String) async throws -> (UInt64, String)? {
        guard let digest = try await hash(source, path) else { return nil }
        return digest
    }

    /// SHA-1 and size of a stored file, nil when it is missing.
    private func hash(_ storage: any Storage, _ path: String) async throws -> (UInt64, String)? {
        let reader: any StorageReader
        do {
            reader = try await storage.openRead(path, offset: 0, length: nil)
        } catch let error as PGVError where error.code == .fileMissing {
            return nil
        }
        let chain = try StageChain(pageChecksum: nil, compress: nil, encrypt: nil)
        do {
            while let chunk = try await reader.read(maxLength: chunkSize) {
                _ = try await pool.run { try chain.process(chunk) }
            }
            _ = try await pool.run { try chain.finish() }
        } catch {
            await reader.close()
            throw error
        }
        await reader.close()
        return (chain.size.byteCount, chain.hash.hexDigest)
    }

    /// Keeps the stored file of an interrupted attempt when its size and SHA-1 match what that attempt recorded.
    private func verifyResumed(_ input: Input, _ resumed: ManifestFile) async throws -> Result? {
        guard let (size, checksum) = try await hash(repository, input.repoPath), size == resumed.repoSize,
              checksum == (resumed.repoChecksum ?? resumed.checksum) else { return nil }
        return Result(name: input.name, outcome: .resumed, size: resumed.size, checksum: resumed.checksum,
                      repoSize: size, repoChecksum: resumed.repoChecksum,
                      pageChecksum: resumed.checksumPage.map { valid in
                          PageChecksumResult(failingBlocks: valid ? [] : Self.blocks(resumed.checksumPageError),
                                             aligned: valid || resumed.checksumPageError != nil)
                      })
    }

    /// Block numbers from a `checksum-page-error` array (numbers and `[first,last]` ranges).
    static func blocks(_ json: JsonValue?) -> [UInt32] {
        var blocks: [UInt32] = []
        for item in json?.arrayValue ?? [] {
            if let single = item.uint64Value {
                blocks.append(UInt32(truncatingIfNeeded: single))
            } else if let pair = item.arrayValue, pair.count == 2, let low = pair[0].uint64Value,
                      let high = pair[1].uint64Value, low <= high {
                blocks.append(contentsOf: (UInt32(truncatingIfNeeded: low)...UInt32(truncatingIfNeeded: high)))
            }
        }
        return blocks
    }
}

/// The stages of one file, kept so their results can be read after the copy. Used by one job at a time: every
/// pool call is awaited before the next, so the stages never run on two threads at once.
/// The stages of one backed-up file, in two halves for `PipelinedCopy`: `front` sees the PostgreSQL bytes (SHA-1,
/// size, page checksums), `back` turns them into the stored bytes (compress, encrypt) and measures those.
final class StageChain: @unchecked Sendable {
    let hash = HashStage(.sha1)
    let size = SizeStage()
    let pageChecksum: PageChecksumStage?
    let repoHash = HashStage(.sha1)
    let repoSize = SizeStage()
    let front: [any ByteStage]
    let back: [any ByteStage]
    private let pipeline: StagePipeline

    init(pageChecksum: PageChecksumStage?, compress: (any ByteStage)?, encrypt: (any ByteStage)?) throws {
        self.pageChecksum = pageChecksum
        var front: [any ByteStage] = [hash, size]
        if let pageChecksum { front.append(pageChecksum) }
        var back: [any ByteStage] = []
        if let compress { back.append(compress) }
        if let encrypt { back.append(encrypt) }
        back.append(repoHash)
        back.append(repoSize)
        self.front = front
        self.back = back
        pipeline = StagePipeline(front + back)
    }

    /// The whole chain in one pass (hash-only reads use this; copies use `front`/`back`).
    func process(_ chunk: [UInt8]) throws -> [UInt8] {
        try pipeline.processCollecting(chunk)
    }

    func finish() throws -> [UInt8] {
        try pipeline.finishCollecting()
    }
}
