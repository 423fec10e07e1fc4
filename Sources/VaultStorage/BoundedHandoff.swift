import Dispatch
import Synchronization

/// A bounded hand-over of bytes from a pool thread (the producer, which may block) to an async task (the consumer,
/// which never blocks): bytes are coalesced into batches of up to `batchSize` and at most `permits` batches are in
/// flight (`DispatchSemaphore`). A decompressor that expands a chunk a thousandfold therefore waits for the consumer
/// instead of piling output up in memory. `abandon` releases a producer waiting for a consumer that failed.
///
/// The producer must run on a pool that the consumer does not need, or a blocked producer could starve it.
final class BoundedHandoff: @unchecked Sendable {
    static let batchSize = 1024 * 1024
    static let permits = 2

    let stream: AsyncThrowingStream<[UInt8], any Error>
    private let continuation: AsyncThrowingStream<[UInt8], any Error>.Continuation
    private let semaphore = DispatchSemaphore(value: BoundedHandoff.permits)
    private let abandoned = Mutex(false)
    /// Touched only by the producer thread of the moment (its pool calls are sequential).
    private var pending: [UInt8] = []

    init() {
        (stream, continuation) = AsyncThrowingStream.makeStream()
    }

    /// Adds bytes; hands a batch over (waiting for room) once `batchSize` is reached.
    func put(_ bytes: UnsafeRawBufferPointer) throws {
        if pending.isEmpty { pending.reserveCapacity(Self.batchSize + bytes.count) }
        pending.append(contentsOf: bytes)
        if pending.count >= Self.batchSize { try flush() }
    }

    /// Hands over what is pending, waiting for a free permit; throws `CancellationError` once abandoned.
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

    /// The consumer is done with one batch.
    func consumed() { semaphore.signal() }

    /// Ends the stream, with the producer's error if it failed.
    func finish(_ error: (any Error)?) {
        if let error { continuation.finish(throwing: error) } else { continuation.finish() }
    }

    /// The consumer gave up: wake and fail the producer.
    func abandon() {
        abandoned.withLock { $0 = true }
        for _ in 0..<Self.permits { semaphore.signal() }
    }
}
