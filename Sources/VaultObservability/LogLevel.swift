import Logging

/// pgBackRest's log levels, in increasing verbosity. pgvault code logs through swift-log; the mapping is:
/// `error`/`critical` → ERROR, `warning` → WARN, `notice` → INFO, `info` → DETAIL, `debug` → DEBUG, `trace` → TRACE.
/// So a message that pgBackRest prints at INFO is logged with `logger.notice`.
public enum LogLevel: String, CaseIterable, Sendable, Comparable {
    case off, error, warn, info, detail, debug, trace

    var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rank < rhs.rank }

    /// The pgBackRest level of a swift-log level.
    public init(_ level: Logger.Level) {
        switch level {
        case .critical, .error: self = .error
        case .warning: self = .warn
        case .notice: self = .info
        case .info: self = .detail
        case .debug: self = .debug
        case .trace: self = .trace
        }
    }

    /// The most verbose swift-log level that this pgBackRest level lets through.
    public var loggerLevel: Logger.Level {
        switch self {
        case .off, .error: .error
        case .warn: .warning
        case .info: .notice
        case .detail: .info
        case .debug: .debug
        case .trace: .trace
        }
    }

    /// The upper-case label pgBackRest prints (`INFO`, `WARN`, `DETAIL`).
    public var label: String { rawValue.uppercased() }

    /// True when a message at `message` level passes a destination set to `self`.
    public func admits(_ message: LogLevel) -> Bool { self != .off && message != .off && message <= self }
}
