import Logging
import VaultConfig

/// Everything a command needs from the outside, passed explicitly: no globals.
public struct CommandContext: Sendable {
    public let config: ResolvedConfig
    public let logger: Logger
    public let output: CommandOutput
    /// `<pid>-<8 hex>`, shared by every process of one command as pgBackRest's exec-id is.
    public let execId: String
    /// The process environment, for commands that build child command lines (restore_command) or read AWS_*.
    public let environment: [String: String]

    public init(config: ResolvedConfig, logger: Logger, output: CommandOutput, execId: String,
                environment: [String: String]) {
        self.config = config
        self.logger = logger
        self.output = output
        self.execId = execId
        self.environment = environment
    }

    /// The `--stanza` value; commands that need it are refused by the parser without it.
    public var stanza: String? { config.string("stanza") }
}
