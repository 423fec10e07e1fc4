/// One option, declared once: everything the parser, the resolver and `help` need to know about it.
/// The facts (names, defaults, allowed values, ranges, commands) follow pgBackRest 2.45's option table.
public struct OptionDefinition: Sendable {
    /// Name without index or dashes: `stanza`, `repo-path` (typed `--repo1-path`), `pg-port`.
    public var name: String
    public var type: OptionType
    /// Default as it would be typed (`1MiB`, `60`, `y`); nil when the option has none.
    public var defaultValue: String?
    /// Values the option accepts, when it is an enumeration (compress-type) or a fixed list of sizes (buffer-size).
    public var allowedValues: [String]?
    /// Range a number must fall in (integer: the number, size: bytes, time: seconds).
    public var allowedRange: OptionRange?
    /// Commands that take the option; nil means every command.
    public var commands: [String]?
    /// Per-command overrides of default, allowed values, requiredness and dependency.
    public var commandRules: [String: OptionCommandRule]
    /// A secret: refused on the command line, never printed (values and defaults), redacted in logs.
    public var secure: Bool
    public var section: OptionSection
    /// The indexed group (`repo`, `pg`) or nil for a plain option.
    public var group: OptionGroup?
    /// Whether a command that takes the option fails when it has no value (after defaults).
    public var required: Bool
    /// The option only takes effect when another option holds one of some values.
    public var dependency: OptionDependency?
    /// Whether `--no-<name>` is accepted (always for booleans; `config` as `--no-config`).
    public var negatable: Bool
    /// Used between pgvault processes and hidden from `help`.
    public var isInternal: Bool
    /// One-line description shown by `help`.
    public var summary: String

    public init(
        name: String, type: OptionType, defaultValue: String? = nil, allowedValues: [String]? = nil,
        allowedRange: OptionRange? = nil, commands: [String]? = nil, commandRules: [String: OptionCommandRule] = [:],
        secure: Bool = false, section: OptionSection = .global, group: OptionGroup? = nil, required: Bool = false,
        dependency: OptionDependency? = nil, negatable: Bool? = nil, isInternal: Bool = false, summary: String
    ) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.allowedValues = allowedValues
        self.allowedRange = allowedRange
        self.commands = commands
        self.commandRules = commandRules
        self.secure = secure
        self.section = section
        self.group = group
        self.required = required
        self.dependency = dependency
        self.negatable = negatable ?? (type == .boolean)
        self.isInternal = isInternal
        self.summary = summary
    }

    /// `--reset-<name>` is accepted for every option that may come from the config file.
    public var resettable: Bool { section != .commandLine }

    /// Whether `command` takes this option.
    public func isValid(for command: String) -> Bool {
        commands.map { $0.contains(command) } ?? true
    }

    public func defaultValue(for command: String) -> String? {
        commandRules[command]?.defaultValue ?? defaultValue
    }

    public func allowedValues(for command: String) -> [String]? {
        commandRules[command]?.allowedValues ?? allowedValues
    }

    public func isRequired(for command: String) -> Bool {
        commandRules[command]?.required ?? required
    }

    public func dependency(for command: String) -> OptionDependency? {
        commandRules[command]?.dependency ?? dependency
    }

    /// The name as typed for an index: `repo-path` at 2 is `repo2-path`; a plain option ignores the index.
    public func displayName(index: Int) -> String {
        guard let group else { return name }
        let prefix = group.rawValue
        return prefix + String(index) + name.dropFirst(prefix.count)
    }
}
