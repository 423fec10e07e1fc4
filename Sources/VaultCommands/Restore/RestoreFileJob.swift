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
/// name) and throws `.checksum` (026) naming the file and the repository file it was read from. Stages run on
/// `pool`, one chunk at a time.
public struct RestoreFileJob: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// Written from the repository (or created empty).
        case copied
        /// The existing file matched; `truncate` when it was longer than the manifest size.
        case matched(truncate: Bool)
        /// Kept on size and timestamp (`--delta --force`).
        case kept
    }

    public static let chunkSize = 1 << 20

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

    /// Hashes the first `size` bytes of the existing file.
    func existingMatches() async throws -> Bool {
        let file = task.file
        let reader = try await target.openRead(task.relative, offset: 0, length: file.size)
        let hash = HashStage(.sha1), size = SizeStage()
        let box = DigestBox(StagePipeline([hash, size]))
        do {
            while let chunk = try await reader.read(maxLength: Self.chunkSize) {
                try await pool.run { try box.pipeline.process(chunk) { _ in } }
            }
            await reader.close()
        } catch {
            await reader.close()
            throw error
        }
        try await pool.run { try box.pipeline.finish { _ in } }
        return size.byteCount == file.size && hash.hexDigest == file.checksum
    }

    /// Decrypts and decompresses on `pool` while this task hashes and writes (`PipelinedCopy`), so one large file
    /// uses two cores. Written straight to the final name (or pg_control's temporary one) and fsynced without its
    /// directory: the command fsyncs every directory once at the end, and a restore interrupted mid-file leaves no
    /// `global/pg_control`, so the cluster cannot start from it (a rerun with `--delta` fixes the file).
    func copy() async throws {
        let file = task.file
        let options = StorageWriteOptions(atomic: false, sync: true, syncPath: false, createPath: true,
                                          mode: file.mode, modified: file.timestamp)
        let writer = try await target.openWrite(task.writeRelative, options: options)
        do {
            var front: [any ByteStage] = []
            if file.size > 0 {
                if let cipherPass { front.append(try AESCipherStage(mode: .decrypt, passphrase: cipherPass)) }
                // The SHA-1 checked below covers the output, so lz4's own frame checksum is skipped.
                if let decompress = try compressType.decompressStage(verifyingFrameChecksums: false) {
                    front.append(decompress)
                }
            }
            let hash = HashStage(.sha1), size = SizeStage()
            if file.size > 0 {
                let reader = try await repository.openRead(repositoryPath, offset: repositoryOffset,
                                                           length: file.bundleId == nil ? nil : file.repoSize)
                do {
                    try await PipelinedCopy.run(from: reader, front: front, back: [hash, size], to: writer,
                                                frontPool: pool, chunkSize: Self.chunkSize)
                    await reader.close()
                } catch {
                    await reader.close()
                    throw error
                }
            } else {
                let box = DigestBox(StagePipeline([hash, size]))
                try await pool.run { try box.pipeline.finish { _ in } }
            }
            let checksum = hash.hexDigest
            guard checksum == file.checksum, size.byteCount == file.size else {
                throw PGVError(.checksum, "error restoring '\(file.name)' from '\(repositoryPath)': "
                               + "actual checksum '\(checksum)' (size \(size.byteCount)) does not match "
                               + "expected checksum '\(file.checksum)' (size \(file.size))")
            }
            try await writer.commit()
        } catch {
            await writer.abort()
            throw error
        }
    }
}

/// Carries a hashing `StagePipeline` to pool threads; one job owns it and awaits each pool call before the next.
private final class DigestBox: @unchecked Sendable {
    let pipeline: StagePipeline
    init(_ pipeline: StagePipeline) { self.pipeline = pipeline }
}
