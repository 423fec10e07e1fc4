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
}
