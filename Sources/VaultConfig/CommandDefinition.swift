/// One command of the command line: pgBackRest 2.45's commands plus pgvault's own (`metrics`, `exporter`).
public struct CommandDefinition: Sendable {
    public var name: String
    /// One-line description shown by `help`.
    public var summary: String
    /// The lock the command takes when it starts.
    public var lockType: LockType
    /// Whether the command always works on one stanza (`--stanza` required).
    public var requiresStanza: Bool
    /// Whether positional arguments are accepted (`archive-push %p`); otherwise they are refused with
    /// `command does not allow parameters` (096).
    public var allowsParameters: Bool
    /// Whether the command writes `STANZA-COMMAND.log` under log-path.
    public var logsToFile: Bool
    /// Whether pgvault builds this command yet. VaultCommands sets this from its registry; the table starts with only
    /// `help` and `version`.
    public var isImplemented: Bool
    /// Whether "command begin/end" is logged at DEBUG instead of INFO, as pgBackRest does for commands whose
    /// standard output is their result (info, repo-ls, repo-get) so log lines never mix into it.
    public var quietLifecycle: Bool

    public init(
        name: String, summary: String, lockType: LockType = .none, requiresStanza: Bool = false,
        allowsParameters: Bool = false, logsToFile: Bool = true, isImplemented: Bool = false,
        quietLifecycle: Bool = false
    ) {
        self.quietLifecycle = quietLifecycle
        self.name = name
        self.summary = summary
        self.lockType = lockType
        self.requiresStanza = requiresStanza
        self.allowsParameters = allowsParameters
        self.logsToFile = logsToFile
        self.isImplemented = isImplemented
    }
}
