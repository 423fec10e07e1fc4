/// A writer whose destination is named later: bytes written before `attach` are held in memory up to
/// `bufferLimit`, after which `write` waits; `attach` writes the held bytes, in order, to the real writer and from
/// then on bytes pass straight through.
///
/// archive-push uses it to compress and encrypt a WAL segment while its SHA-1 (part of the stored name) is still
/// being computed on the other core. Nothing reaches storage before `attach`, so a duplicate or a failed check
/// discards the work with `abort` and leaves no file behind.
public actor DeferredStorageWriter: StorageWriter {
    private let bufferLimit: Int
    private var held: [[UInt8]] = []
    private var heldBytes = 0
    private var target: (any StorageWriter)?
    private var aborted = false
    private var waiters: [CheckedContinuation<Void, any Error>] = []

    public init(bufferLimit: Int) {
        self.bufferLimit = bufferLimit
    }

    public func write(_ bytes: [UInt8]) async throws {
        if bytes.isEmpty { return }
        if aborted { throw CancellationError() }
        if target == nil && heldBytes + bytes.count <= bufferLimit {
            held.append(bytes)
            heldBytes += bytes.count
            return
        }
        if target == nil { try await withCheckedThrowingContinuation { waiters.append($0) } }
        guard let target else { throw CancellationError() }
        try await target.write(bytes)
    }

    /// Sends everything held to `writer`, then lets waiting and later writes through. Bytes written while the held
    /// ones are being flushed join the queue behind them, so order is kept.
    public func attach(_ writer: any StorageWriter) async throws {
        precondition(target == nil, "deferred writer attached twice")
        while !held.isEmpty {
            let bytes = held.removeFirst()
            heldBytes -= bytes.count
            try await writer.write(bytes)
        }
        target = writer
        resumeWaiters(nil)
    }

    /// Commits the attached writer; committing a writer that was never attached is a programming error.
    public func commit() async throws {
        guard let target else { preconditionFailure("deferred writer committed before attach") }
        try await target.commit()
    }

    /// Drops the held bytes, fails waiting and later writes, and aborts the attached writer if there is one.
    public func abort() async {
        aborted = true
        held = []
        heldBytes = 0
        resumeWaiters(CancellationError())
        if let target { await target.abort() }
    }

    private func resumeWaiters(_ error: (any Error)?) {
        let pending = waiters
        waiters = []
        for waiter in pending {
            if let error { waiter.resume(throwing: error) } else { waiter.resume() }
        }
    }
}
