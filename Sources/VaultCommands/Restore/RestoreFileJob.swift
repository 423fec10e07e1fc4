import Dispatch
import Synchronization
import VaultCore
import VaultIO
import VaultRepository
import VaultStorage

/// Restores one file of a backup set (reference §7 step 8).
///
/// `compare` first: the existing file's first `size` bytes are read and hashed (SHA-1); when they match the
/// manifest the file stays (the caller truncates a longer file and resets its mtime). Otherwise, and for `copy`,
/// the stored bytes are read from `<holding label>/<name><ext>` (or `bundle/<id>` at its offset), decrypted with
/// the manifest's cipher-pass, decompressed by the set's compression type, hashed and counted, and written to the
/// target with the manifest's mode and mtime: atomically (`<name>.pgbackrest.tmp`, fsync, rename) except for
/// `pg_control`, whose temporary name is the final one until the command renames it last. Before the commit the
/// SHA-1 and size are checked against the manifest: a mismatch aborts the write (nothing is left at the final
/// name) and throws `.checksum` (026) naming the file. Stages run on `pool`, one chunk at a time.
public struct RestoreFileJob: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// Written from the repository (or created empty).
        case copied
        /// The existing file matched; `truncate` when it was longer than the manifest size.
        case matched(truncate: Bool)
        /// Kept on size and timestamp (`--delta --force`).
        case kept
    }

    public static let chunkSize = 64 * 1024

    public let task: RestorePlan.FileTask
    /// The repository and where the file's stored bytes are.
    public let repository: any Storage
    public let repositoryPath: String
    public let repositoryOffset: UInt64
    public let cipherPass: String?
    public let compressType: CompressionType
    /// The target directory (`task.root`) as storage.
    public let target: any Storage
    public let pool: BlockingPool

    public init(task: RestorePlan.FileTask, repository: any Storage, repositoryPath: String, repositoryOffset: UInt64 = 0,
                cipherPass: String?, compressType: CompressionType, target: any Storage, pool: BlockingPool) {
        self.task = task
        self.repository = repository
        self.repositoryPath = repositoryPath
        self.repositoryOffset = repositoryOffset
        self.cipherPass = cipherPass
        self.compressType = compressType
        self.target = target
        self.pool = pool
    }

    /// The job for `task` of `manifest` read from `repository` laid out by `layout`.
    public init(task: RestorePlan.FileTask, manifest: Manifest, layout: RepositoryLayout, repository: any Storage,
                target: any Storage, pool: BlockingPool) {
        self.init(task: task, repository: repository, repositoryPath: layout.repositoryPath(of: task.file, in: manifest),
                  repositoryOffset: task.file.bundleOffset, cipherPass: manifest.cipherPass,
                  compressType: manifest.options.compressType, target: target, pool: pool)
    }

    /// Errors name the file and the repository file it was read from (a corrupt stream would otherwise say only
    /// "invalid lz4 stream"), keeping their code.
    public func run() async throws -> Outcome {
        do {
            return try await decideAndCopy()
        } catch let error as PGVError where !error.message.contains(task.file.name) {
            throw PGVError(error.code, "unable to restore '\(task.file.name)' from '\(repositoryPath)': \(error.message)",
                           hint: error.hint)
        }
    }

    private func decideAndCopy() async throws -> Outcome {
        switch task.action {
        case .keep:
            return .kept
        case .compare:
            if try await existingMatches() {
                return .matched(truncate: (task.existing?.size ?? 0) > task.file.size)
            }
        case .copy:
            break
        }
        try await copy()
        return .copied
    }

    /// Streams `reader` through the stages into `writer` with bounded memory: the stages run on `pool` and hand
    /// their output (coalesced to `OutputHandoff.batchSize`) to this task, which writes it; a pool thread waits
    /// when `OutputHandoff.permits` batches are unwritten, so a highly compressed input (zstd of zero pages
    /// expands thousands of times) never piles up in memory.
    func stream(from reader: any StorageReader, through box: PipelineBox, to writer: any StorageWriter) async throws {
        let handoff = OutputHandoff()
        let pool = self.pool
        let producer = Task {
            do {
                while let chunk = try await reader.read(maxLength: Self.chunkSize) {
                    try await pool.run { try box.process(chunk, into: handoff) }
                }
                try await pool.run { try box.finish(into: handoff) }
                handoff.finish(nil)
            } catch {
                handoff.finish(error)
            }
        }
        do {
            for try await batch in handoff.stream {
                try await writer.write(batch)
                handoff.written()
            }
            // A stream iterator ends quietly when its task is cancelled (a sibling job failed): the producer may
            // still be waiting for room, so this must fail and release it rather than await it.
            try Task.checkCancellation()
        } catch {
            handoff.abandon()
            _ = await producer.result
            throw error
        }
        _ = await producer.result
    }

    /// Hashes the first `size` bytes of the existing file.
    func existingMatches() async throws -> Bool {
        let file = task.file
        let reader = try await target.openRead(task.relative, offset: 0, length: file.size)
        let box = PipelineBox([HashStage(.sha1), SizeStage()])
        do {
            while let chunk = try await reader.read(maxLength: Self.chunkSize) {
                _ = try await pool.run { try box.process(chunk) }
            }
            await reader.close()
        } catch {
            await reader.close()
            throw error
        }
        let (checksum, size) = try await pool.run { try box.finishDigest() }
        return size == file.size && checksum == file.checksum
    }

    func copy() async throws {
        let file = task.file
        let options = StorageWriteOptions(atomic: task.writeRelative == task.relative, sync: true, createPath: true,
                                          mode: file.mode, modified: file.timestamp)
        let writer = try await target.openWrite(task.writeRelative, options: options)
        do {
            var stages: [any ByteStage] = []
            if file.size > 0 {
                if let cipherPass { stages.append(try AESCipherStage(mode: .decrypt, passphrase: cipherPass)) }
                if let decompress = try compressType.decompressStage() { stages.append(decompress) }
            }
            stages.append(HashStage(.sha1))
            stages.append(SizeStage())
            let box = PipelineBox(stages)
            if file.size > 0 {
                let reader = try await repository.openRead(repositoryPath, offset: repositoryOffset,
                                                           length: file.bundleId == nil ? nil : file.repoSize)
                do {
                    try await stream(from: reader, through: box, to: writer)
                    await reader.close()
                } catch {
                    await reader.close()
                    throw error
                }
            } else {
                _ = try await pool.run { try box.finish() }
            }
            let (checksum, size) = box.digest()
            guard checksum == file.checksum, size == file.size else {
                throw PGVError(.checksum, "error restoring '\(file.name)': actual checksum '\(checksum)' (size \(size)) "
                               + "does not match expected checksum '\(file.checksum)' (size \(file.size))")
            }
            try await writer.commit()
        } catch {
            await writer.abort()
            throw error
        }
    }
}

/// Carries a `StagePipeline` whose last two stages are a SHA-1 `HashStage` and a `SizeStage` to pool threads.
/// Safe because one job owns it and awaits each pool call before the next.
final class PipelineBox: @unchecked Sendable {
    private let pipeline: StagePipeline
    private let hash: HashStage
    private let size: SizeStage

    init(_ stages: [any ByteStage]) {
        pipeline = StagePipeline(stages)
        hash = stages[stages.count - 2] as! HashStage
        size = stages[stages.count - 1] as! SizeStage
    }

    func process(_ chunk: [UInt8]) throws -> [UInt8] {
        try pipeline.processCollecting(chunk)
    }

    func finish() throws -> [UInt8] {
        try pipeline.finishCollecting()
    }

    /// Runs one chunk, handing the output to `handoff` as it comes (blocks this pool thread when it is full).
    func process(_ chunk: [UInt8], into handoff: OutputHandoff) throws {
        try pipeline.process(chunk) { try handoff.put($0) }
        try handoff.flush()
    }

    func finish(into handoff: OutputHandoff) throws {
        try pipeline.finish { try handoff.put($0) }
        try handoff.flush()
    }

    func finishDigest() throws -> (String, UInt64) {
        _ = try finish()
        return digest()
    }

    func digest() -> (String, UInt64) { (hash.hexDigest, size.byteCount) }
}

/// A bounded hand-over of stage output from a pool thread (producer, may block) to an async task (consumer, never
/// blocks): output is coalesced into batches of up to `batchSize` bytes and at most `permits` batches are in flight
/// (`DispatchSemaphore`). `abandon` releases a producer waiting for a consumer that failed.
final class OutputHandoff: @unchecked Sendable {
    static let batchSize = 256 * 1024
    static let permits = 4

    let stream: AsyncThrowingStream<[UInt8], any Error>
    private let continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation
    private let semaphore = DispatchSemaphore(value: OutputHandoff.permits)
    private let abandoned = Mutex(false)
    /// Touched only by the producer thread of the moment (pool calls are sequential).
    private var pending: [UInt8] = []

    init() {
        (stream, continuation) = AsyncThrowingStream.makeStream()
    }

    func put(_ bytes: UnsafeRawBufferPointer) throws {
        pending.append(contentsOf: bytes)
        if pending.count >= Self.batchSize { try flush() }
    }

    func flush() throws {
        guard !pending.isEmpty else { return }
        semaphore.wait()
        if abandoned.withLock({ $0 }) {
            semaphore.signal()
            throw CancellationError()
        }
        continuation.yield(pending)
        pending = []
    }

    /// The consumer wrote one batch.
    func written() { semaphore.signal() }

    func finish(_ error: (any Error)?) {
        if let error { continuation.finish(throwing: error) } else { continuation.finish() }
    }

    /// The consumer gave up: wake and fail the producer.
    func abandon() {
        abandoned.withLock { $0 = true }
        for _ in 0..<Self.permits { semaphore.signal() }
    }
}
