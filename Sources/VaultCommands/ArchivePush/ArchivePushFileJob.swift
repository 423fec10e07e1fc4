import VaultCore
import VaultIO
import VaultStorage

/// Writes one WAL file to one repository: the source is streamed through the compressor (segments only) and the
/// AES-256-CBC encryptor (encrypted repositories, with archive.info's `cipher-pass`) into an atomic, durable write
/// (`StorageCopy`: temp name, fsync, rename, directory fsync on POSIX). Nothing is visible at `path` unless the
/// whole file is.
struct ArchivePushFileJob: Sendable {
    /// Read size: one pool hop per MiB keeps a 16 MiB segment to a few dozen hops.
    static let chunkSize = 1 << 20

    let source: any Storage
    let sourcePath: String
    let compressType: CompressionType
    let compressLevel: Int?
    /// archive.info's `cipher-pass`; nil writes plain bytes.
    let passphrase: String?

    func write(to storage: any Storage, path: String) async throws {
        var stages: [any ByteStage] = []
        if let compress = try compressType.compressStage(level: compressLevel) { stages.append(compress) }
        if let passphrase { stages.append(try AESCipherStage(mode: .encrypt, passphrase: passphrase)) }
        let reader = try await source.openRead(sourcePath, offset: 0, length: nil)
        let writer: any StorageWriter
        do {
            writer = try await storage.openWrite(path, options: StorageWriteOptions())
        } catch {
            await reader.close()
            throw error
        }
        try await StorageCopy.copy(from: reader, through: stages, to: writer, chunkSize: Self.chunkSize)
    }
}
