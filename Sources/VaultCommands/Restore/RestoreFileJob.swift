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

    public func run() async throws -> Outcome {
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
                    while let chunk = try await reader.read(maxLength: Self.chunkSize) {
                        let output = try await pool.run { try box.process(chunk) }
                        if !output.isEmpty { try await writer.write(output) }
                    }
                    await reader.close()
                } catch {
                    await reader.close()
                    throw error
                }
            }
            let tail = try await pool.run { try box.finish() }
            if !tail.isEmpty { try await writer.write(tail) }
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
private final class PipelineBox: @unchecked Sendable {
    private let pipeline: StagePipeline
    private let hash: HashStage
    private let size: SizeStage

    init(_ stages: [any ByteStage]) {
        pipeline = StagePipeline(stages)
        hash = stages[stages.count - 2] as! HashStage
        size = stages[stages.count - 1] as! SizeStage
    }

    func process(_ chunk: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        try pipeline.process(chunk) { output.append(contentsOf: $0) }
        return output
    }

    func finish() throws -> [UInt8] {
        var output: [UInt8] = []
        try pipeline.finish { output.append(contentsOf: $0) }
        return output
    }

    func finishDigest() throws -> (String, UInt64) {
        _ = try finish()
        return digest()
    }

    func digest() -> (String, UInt64) { (hash.hexDigest, size.byteCount) }
}
