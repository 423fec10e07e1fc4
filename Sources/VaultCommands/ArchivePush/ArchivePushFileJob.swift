import VaultCore
import VaultIO
import VaultStorage

/// Writes one WAL file to one repository: the source is streamed through the compressor (segments only) and the
/// AES-256-CBC encryptor (encrypted repositories, with archive.info's `cipher-pass`) into an atomic, durable write
/// (temp name, fsync, rename, directory fsync on POSIX). Nothing is visible at the final path unless the whole
/// file is.
struct ArchivePushFileJob: Sendable {
    /// Read size: one pool hop per MiB keeps a 16 MiB segment to a few dozen hops.
    static let chunkSize = 1 << 20
    /// Encoded bytes held while the name is not known yet: enough for the part of a 16 MiB segment compressed
    /// while the other core computes its SHA-1.
    static let speculativeBufferLimit = 8 << 20

    /// Atomic and durable, under a private temporary name: two archive-push of one segment started together both
    /// pass the duplicate check and both write; each renames its own whole file onto the same final name, so the
    /// archive holds one complete copy and both succeed (a shared temporary file would be truncated by the second
    /// open and its rename fail with ENOENT after the first).
    static let writeOptions = StorageWriteOptions(privateTemporary: true)

    let source: any Storage
    let sourcePath: String
    let compressType: CompressionType
    let compressLevel: Int?
    /// archive.info's `cipher-pass`; nil writes plain bytes.
    let passphrase: String?

    /// Streams the file to `path` in `storage` and commits.
    func write(to storage: any Storage, path: String) async throws {
        let reader = try await source.openRead(sourcePath, offset: 0, length: nil)
        let writer: any StorageWriter
        do {
            writer = try await storage.openWrite(path, options: Self.writeOptions)
        } catch {
            await reader.close()
            throw error
        }
        try await StorageCopy.copy(from: reader, through: try stages(), to: writer, chunkSize: Self.chunkSize)
    }

    /// Starts encoding before the destination is known (its name carries the SHA-1 still being computed): the
    /// compressor runs on `pool` and the encryptor on the shared pool, into a `DeferredStorageWriter`.
    func start(pool: BlockingPool) async throws -> Pending {
        let reader = try await source.openRead(sourcePath, offset: 0, length: nil)
        let deferred = DeferredStorageWriter(bufferLimit: Self.speculativeBufferLimit)
        let compress = try compressType.compressStage(level: compressLevel)
        let encrypt = try passphrase.map { try AESCipherStage(mode: .encrypt, passphrase: $0) }
        let front: [any ByteStage] = compress.map { [$0] } ?? []
        let back: [any ByteStage] = encrypt.map { [$0] } ?? []
        let copy = Task {
            do {
                let result = try await PipelinedCopy.run(from: reader, front: front, back: back, to: deferred,
                                                         frontPool: pool, chunkSize: Self.chunkSize)
                await reader.close()
                return result
            } catch {
                await reader.close()
                throw error
            }
        }
        return Pending(deferred: deferred, copy: copy)
    }

    private func stages() throws -> [any ByteStage] {
        var stages: [any ByteStage] = []
        if let compress = try compressType.compressStage(level: compressLevel) { stages.append(compress) }
        if let passphrase { stages.append(try AESCipherStage(mode: .encrypt, passphrase: passphrase)) }
        return stages
    }

    /// An encoding in progress whose destination is named by `commit`, or dropped by `discard`.
    struct Pending: Sendable {
        let deferred: DeferredStorageWriter
        let copy: Task<StorageCopyResult, any Error>

        /// Opens `path`, sends the encoded bytes there as they come, and commits once the whole file is written.
        func commit(to storage: any Storage, path: String) async throws {
            let writer: any StorageWriter
            do {
                writer = try await storage.openWrite(path, options: ArchivePushFileJob.writeOptions)
            } catch {
                await discard()
                throw error
            }
            do {
                try await deferred.attach(writer)
                _ = try await copy.value
                try await deferred.commit()
            } catch {
                await discard()
                throw error
            }
        }

        /// Stops the encoding and leaves nothing in storage.
        func discard() async {
            await deferred.abort()
            copy.cancel()
            _ = await copy.result
        }
    }
}
