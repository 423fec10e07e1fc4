import VaultCore
import VaultIO

/// Byte counts of one `StorageCopy.copy`; stage results (digests, sizes) are read from the stages themselves.
public struct StorageCopyResult: Sendable, Equatable {
    /// Bytes read from the source.
    public var bytesRead: UInt64
    /// Bytes written to the destination (the pipeline's output).
    public var bytesWritten: UInt64
}

/// Streams one stored file into another through a chain of `ByteStage`s (hash, compress, encrypt, ...).
///
/// Per chunk: one `read` from the reader, the pipeline run for that chunk on `BlockingPool.shared` (it is CPU-bound),
/// one `write` of its output. At end of file the pipeline is finished, its trailing output written and the writer
/// committed. Memory holds one input chunk and that chunk's output (for an expanding stage such as decompression,
/// the output of one chunk is its expanded size, so such callers pick a smaller `chunkSize`).
public enum StorageCopy {
    public static let defaultChunkSize = 256 * 1024

    /// Copies `reader` to `writer` through `stages` and commits. Takes ownership of both ends: the reader is closed
    /// in every case, and on any failure (read, stage, write, commit) the writer is aborted and the error rethrown
    /// unchanged. With no stages the bytes pass through without a pool hop.
    @discardableResult
    public static func copy(
        from reader: any StorageReader, through stages: [any ByteStage], to writer: any StorageWriter,
        chunkSize: Int = defaultChunkSize
    ) async throws -> StorageCopyResult {
        precondition(chunkSize > 0, "chunk size must be positive")
        let pipeline = stages.isEmpty ? nil : PipelineBox(StagePipeline(stages))
        var result = StorageCopyResult(bytesRead: 0, bytesWritten: 0)
        do {
            while let chunk = try await reader.read(maxLength: chunkSize) {
                result.bytesRead += UInt64(chunk.count)
                var output = chunk
                if let pipeline { output = try await BlockingPool.shared.run { try pipeline.process(chunk) } }
                if !output.isEmpty {
                    try await writer.write(output)
                    result.bytesWritten += UInt64(output.count)
                }
            }
            if let pipeline {
                let tail = try await BlockingPool.shared.run { try pipeline.finish() }
                if !tail.isEmpty {
                    try await writer.write(tail)
                    result.bytesWritten += UInt64(tail.count)
                }
            }
            await reader.close()
            try await writer.commit()
        } catch {
            await reader.close()
            await writer.abort()
            throw error
        }
        return result
    }
}

/// Carries a `StagePipeline` (whose stages are not `Sendable`) to pool threads. Safe because it has a single owner:
/// `StorageCopy.copy` awaits each pool job before starting the next, so the pipeline is never touched by two threads
/// at once.
private final class PipelineBox: @unchecked Sendable {
    private let pipeline: StagePipeline

    init(_ pipeline: StagePipeline) { self.pipeline = pipeline }

    /// Runs one input chunk through the pipeline and returns everything the last stage emitted for it.
    func process(_ chunk: [UInt8]) throws -> [UInt8] {
        try pipeline.processCollecting(chunk)
    }

    /// Finishes the pipeline and returns its trailing output.
    func finish() throws -> [UInt8] {
        try pipeline.finishCollecting()
    }
}
