/// The command line split into command, options and positional arguments, before environment and config file.
public struct ParsedCommandLine: Sendable, Equatable {
    /// The command word; `help` when none was given at all. For `help backup`, `command` is `backup` and `help` is set.
    public var command: String
    /// `help` was the command word (`pgvault help`, `pgvault help backup type`).
    public var help: Bool
    /// Words after the command: `archive-push %p` gives `["%p"]`; for `help backup type` they are `["type"]`.
    public var arguments: [String]
    /// Options in the order first seen.
    public var options: [OptionKey: RawOptionSetting]
    /// The internal role of `command:role` (`archive-push:async`, pgBackRest's async worker); nil for the main role.
    public var role: String?

    public init(command: String, help: Bool, arguments: [String], options: [OptionKey: RawOptionSetting],
                role: String? = nil) {
        self.command = command
        self.help = help
        self.arguments = arguments
        self.options = options
        self.role = role
    }
}
