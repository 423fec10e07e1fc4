import NIOPosix

/// Runs blocking work (file syscalls, compression, encryption, libpq calls) on dedicated threads so the
/// cooperative pool, which is only as wide as the core count, never stalls. Backed by `NIOThreadPool`.
public final class BlockingPool: Sendable {
    private let pool: NIOThreadPool

    /// A process-wide pool sized for file jobs; `NIOThreadPool.singleton` is started once and never shut down.
    public static let shared = BlockingPool(pool: NIOThreadPool.singleton)

    public init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    private init(pool: NIOThreadPool) { self.pool = pool }

    /// Runs `body` on a pool thread and returns its result; errors thrown by `body` are rethrown unchanged.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }

    /// Stops the pool's threads after queued work completes. The shared pool must not be shut down.
    public func shutdown() async throws {
        try await pool.shutdownGracefully()
    }

    /// Asks the threads to stop after queued work completes, without waiting (`defer` in a command body).
    public func shutdownNow() {
        pool.shutdownGracefully { _ in }
    }
}
