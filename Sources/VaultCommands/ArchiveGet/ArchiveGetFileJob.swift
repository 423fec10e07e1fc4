import VaultCore
import VaultIO
import VaultStorage

/// Copies one archived file to its destination: read from the repository, decrypted (archive.info's
/// `cipher-pass`), decompressed by the stored name's extension, hashed with SHA-1 and written atomically
/// (temp name + rename, no fsync: PostgreSQL makes restored WAL durable itself). For a segment the SHA-1 must
/// equal the one in its stored name, else ChecksumError [026] and nothing is left at the destination. A stream that
/// fails to decrypt or decompress keeps its error code and the message names the stored file.
struct ArchiveGetFileJob: Sendable {
    /// Stored bytes read per pool hop; small because decompression expands a chunk (an empty WAL page compresses
    /// a thousandfold), and each chunk's output is held in memory once.
    static let chunkSize = 64 * 1024

    let storage: any Storage
    let location: ArchiveGetPlan.Location
    let passphrase: String?
    /// For messages: `repo1: 15-1`.
    let source: String

    /// Writes the content to `name` in `destination`.
    func copy(to destination: any Storage, name: String) async throws {
        var stages: [any ByteStage] = []
        if let passphrase { stages.append(try AESCipherStage(mode: .decrypt, passphrase: passphrase)) }
        // A segment's SHA-1 (in its name) covers the output, so lz4's own frame checksum is skipped for it.
        if let decompress = try location.compressType.decompressStage(verifyingFrameChecksums: location.sha1 == nil) {
            stages.append(decompress)
        }
        stages.append(HashStage(.sha1))
        let pipeline = ArchivePipelineBox(StagePipeline(stages))

        let reader = try await storage.openRead(location.path, offset: 0, length: nil)
        let writer: any StorageWriter
        do {
            writer = try await destination.openWrite(name, options: StorageWriteOptions(atomic: true, sync: false,
                                                                                         createPath: false))
        } catch {
            await reader.close()
            throw error
        }
        do {
            while let chunk = try await reader.read(maxLength: Self.chunkSize) {
                let output = try await BlockingPool.shared.run { try pipeline.process(chunk) }
                if !output.isEmpty { try await writer.write(output) }
            }
            await reader.close()
            let (tail, digest) = try await BlockingPool.shared.run { try pipeline.finish() }
            if !tail.isEmpty { try await writer.write(tail) }
            if let expected = location.sha1, digest != expected {
                throw PGVError(.checksum, "WAL file '\(location.path)' from the \(source) archive has checksum "
                               + "\(digest) but its name says \(expected)")
            }
            try await writer.commit()
        } catch {
            await reader.close()
            await writer.abort()
            throw Self.naming(location.path, error)
        }
    }

    /// `error` with `path` in its message (a corrupt stream would otherwise say only "invalid lz4 stream"), same code.
    static func naming(_ path: String, _ error: any Error) -> any Error {
        guard let error = error as? PGVError, !error.message.contains(path) else { return error }
        return PGVError(error.code, "unable to get WAL file '\(path)': \(error.message)", hint: error.hint)
    }
}

/// Carries a `StagePipeline` (whose stages are not `Sendable`) to pool threads. Safe because its one owner, a
/// copy loop, awaits each pool job before starting the next, so no two threads touch it at once.
final class ArchivePipelineBox: @unchecked Sendable {
    private let pipeline: StagePipeline

    init(_ pipeline: StagePipeline) { self.pipeline = pipeline }

    /// Runs one chunk through the pipeline and returns the last stage's output for it.
    func process(_ chunk: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        try pipeline.process(chunk) { output.append(contentsOf: $0) }
        return output
    }

    /// Finishes the pipeline; returns the trailing output and the hex digest of the last stage when it hashes.
    func finish() throws -> ([UInt8], String) {
        var output: [UInt8] = []
        try pipeline.finish { output.append(contentsOf: $0) }
        let digest = (pipeline.stages.last as? HashStage)?.hexDigest ?? ""
        return (output, digest)
    }
}
