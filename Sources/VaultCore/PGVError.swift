/// The one error type of pgvault. Every failure that reaches the user carries a stable numeric `code`
/// (pgBackRest's numbers where one exists), a lowercase one-line `message` that names the path or object,
/// and an optional `hint` printed as a `HINT:` line.
public struct PGVError: Error, Sendable, CustomStringConvertible, Equatable {
    public var code: ErrorCode
    public var message: String
    public var hint: String?

    public init(_ code: ErrorCode, _ message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    /// `[055]: unable to open missing file '/x' for read`, the form pgBackRest prints after `ERROR: `.
    public var description: String { "[\(code)]: \(message)" }

    /// The text printed on stderr by the executable: the error line and, when present, the hint line.
    public var report: String {
        var text = "ERROR: \(description)"
        if let hint { text += "\nHINT: \(hint)" }
        return text
    }

    /// Wraps any error as a PGVError: a PGVError passes through, anything else becomes `fallback` with its text.
    public static func wrap(_ error: any Error, as fallback: ErrorCode = .unhandled, context: String? = nil) -> PGVError {
        if let error = error as? PGVError { return error }
        let text = String(describing: error)
        return PGVError(fallback, context.map { "\($0): \(text)" } ?? text)
    }
}
