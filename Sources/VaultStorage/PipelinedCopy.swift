import VaultCore
import VaultIO

/// Streams one file from a reader to a writer through two stage pipelines that run at the same time, so one large
/// file keeps two cores busy: the producer reads a chunk and runs the `front` stages on `frontPool`, handing their
/// output over in bounded batches (`BoundedHandoff`); the consumer runs the `back` stages on `backPool` and writes.
/// Backup splits as hash+page-checksum | compress+encrypt+hash; restore as decrypt+decompress | hash. A
/// `BlockingStorageWriter` (POSIX) is written from the back stages' pool call itself; others get one async `write`
/// per batch.
///
/// The producer may block a `frontPool` thread while the hand-off is full, so `frontPool` must not be `backPool`
/// (nor the pool the reader and writer use): commands pass their own process-max-wide stage pool as `frontPool`,
/// where each file job holds at most one thread. The reader and writer are neither closed nor committed here; the
/// caller owns them and reads digests from its stages afterwards.
public enum PipelinedCopy {
    public static let defaultChunkSize = 1 << 20

    @discardableResult
    public static func run(
        from reader: any StorageReader, front: [any ByteStage], back: [any ByteStage], to writer: any StorageWriter,
        frontPool: BlockingPool, backPool: BlockingPool = .shared, chunkSize: Int = defaultChunkSize
    ) async throws -> StorageCopyResult {
        precondition(chunkSize > 0, "chunk size must be positive")
        let frontBox = PipelineHolder(StagePipeline(front))
        let backBox = PipelineHolder(StagePipeline(back))
        let handoff = BoundedHandoff()
        let producer = Task<UInt64, Never> {
            var bytesRead: UInt64 = 0
            do {
                while let chunk = try await reader.read(maxLength: chunkSize) {
                    bytesRead += UInt64(chunk.count)
                    try await frontPool.run { try frontBox.process(chunk, into: handoff) }
                }
                try await frontPool.run { try frontBox.finish(into: handoff) }
                handoff.finish(nil)
            } catch {
                handoff.finish(error)
            }
            return bytesRead
        }
        var bytesWritten: UInt64 = 0
        // A writer that writes from the pool thread takes the back stages' output in the same pool call.
        let direct = writer as? any BlockingStorageWriter
        do {
            for try await batch in handoff.stream {
                if let direct {
                    bytesWritten += try await backPool.run { try backBox.process(batch, writingTo: direct) }
                    handoff.consumed()
                    continue
                }
                let output = try await backPool.run { try backBox.pipeline.processCollecting(batch) }
                handoff.consumed()
                if !output.isEmpty {
                    try await writer.write(output)
                    bytesWritten += UInt64(output.count)
                }
            }
            // A stream iterator ends quietly when its task is cancelled (a sibling job failed): the producer may be
            // waiting for room, so this must fail and release it rather than await it.
            try Task.checkCancellation()
            if let direct {
                bytesWritten += try await backPool.run { try backBox.finish(writingTo: direct) }
            } else {
                let tail = try await backPool.run { try backBox.pipeline.finishCollecting() }
                if !tail.isEmpty {
                    try await writer.write(tail)
                    bytesWritten += UInt64(tail.count)
                }
            }
        } catch {
            handoff.abandon()
            _ = await producer.value
            throw error
        }
        return StorageCopyResult(bytesRead: await producer.value, bytesWritten: bytesWritten)
    }
}

/// Carries a `StagePipeline` (whose stages are not `Sendable`) to pool threads. Safe because each side of a
/// `PipelinedCopy` owns one holder and awaits every pool call before the next.
final class PipelineHolder: @unchecked Sendable {
    let pipeline: StagePipeline

    init(_ pipeline: StagePipeline) { self.pipeline = pipeline }

    /// Runs one chunk, handing the output over as it comes (blocks this thread while the hand-off is full).
    func process(_ chunk: [UInt8], into handoff: BoundedHandoff) throws {
        try pipeline.process(chunk) { try handoff.put($0) }
        try handoff.flush()
    }

    func finish(into handoff: BoundedHandoff) throws {
        try pipeline.finish { try handoff.put($0) }
        try handoff.flush()
    }

    /// Runs one batch and writes the output as it comes, on this thread; returns the bytes written.
    func process(_ batch: [UInt8], writingTo writer: any BlockingStorageWriter) throws -> UInt64 {
        try writing(to: writer) { try pipeline.process(batch, sink: $0) }
    }

    func finish(writingTo writer: any BlockingStorageWriter) throws -> UInt64 {
        try writing(to: writer) { try pipeline.finish(sink: $0) }
    }

    /// Hands `run` a sink that writes each output chunk to `writer` and counts it.
    private func writing(to writer: any BlockingStorageWriter, _ run: (ByteEmitter) throws -> Void) throws -> UInt64 {
        var written: UInt64 = 0
        try run { output in
            try writer.writeBlocking(output)
            written += UInt64(output.count)
        }
        return written
    }
}
