import Glibc
import VaultCore
import VaultObservability

/// Where a command's results go (info text, JSON, repo-get bytes). The executable hands in standard output; tests
/// hand in a file. Commands never write to file descriptors themselves.
public struct CommandOutput: Sendable {
    public let sink: LogSink
    /// True when the output is a terminal (progress lines are drawn only then).
    public let isTerminal: Bool

    public init(sink: LogSink, isTerminal: Bool) {
        self.sink = sink
        self.isTerminal = isTerminal
    }

    /// Writes `text` followed by a newline.
    public func line(_ text: String) { sink.write(line: text) }

    /// Writes `text` exactly, with no newline added (pgBackRest's JSON output has no final newline).
    public func write(_ text: String) { sink.write(bytes: Array(text.utf8)) }

    /// Writes `bytes` exactly (repo-get content, repo-ls batches) with `write(2)` on `BlockingPool`, so a slow
    /// reader of standard output blocks a pool thread, never the cooperative pool. Write errors are ignored, as
    /// pgBackRest ignores them (a closed pipe, `| head`).
    public func write(bytes: [UInt8]) async throws {
        let sink = self.sink
        let failure = try await BlockingPool.shared.run { sink.write(bytes: bytes) }
        if let failure {
            throw PGVError(.fileWrite, "unable to write to stdout: \(String(cString: strerror(failure)).lowercased())")
        }
    }
}
