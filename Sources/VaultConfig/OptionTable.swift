import VaultCore

/// The one table of options and commands. Lookups by name, and the translation of a typed option name
/// (`--no-online`, `--reset-compress-type`, `--repo2-path`, a unique prefix like `--stan`) into an `OptionKey`.
public struct OptionTable: Sendable {
    public let options: [String: OptionDefinition]
    public let commands: [String: CommandDefinition]
    /// Option names in alphabetical order.
    public let optionNames: [String]
    /// Command names in the order they were declared.
    public let commandNames: [String]

    public init(options: [OptionDefinition], commands: [CommandDefinition]) {
        var byName: [String: OptionDefinition] = [:]
        for option in options { byName[option.name] = option }
        self.options = byName
        self.optionNames = byName.keys.sorted()
        var commandsByName: [String: CommandDefinition] = [:]
        for command in commands { commandsByName[command.name] = command }
        self.commands = commandsByName
        self.commandNames = commands.map(\.name)
    }

    /// pgvault's table: `definitions` and `CommandTable.all`.
    public static let standard = OptionTable(options: definitions, commands: CommandTable.all)

    public func option(_ name: String) -> OptionDefinition? { options[name] }

    public func command(_ name: String) -> CommandDefinition? { commands[name] }

    /// A copy in which the named commands are marked as built (VaultCommands calls this with its registry).
    public func markingImplemented(_ names: Set<String>) -> OptionTable {
        let updated = commandNames.compactMap { name -> CommandDefinition? in
            guard var command = commands[name] else { return nil }
            if names.contains(name) { command.isImplemented = true }
            return command
        }
        return OptionTable(options: optionNames.compactMap { options[$0] }, commands: updated)
    }

    /// Resolves a typed name (without the leading `--`) to an option key, as pgBackRest's `cfgParseOption` does:
    /// strips `no-`/`reset-`, reads the index that precedes the first dash (`repo2-path` → `repo-path`, 2), and
    /// with `prefixMatch` accepts a unique prefix of an option name. Returns nil when no option matches.
    /// Throws OptionInvalidError (031) for an index above 256, an index on a plain option, a negated option
    /// that cannot be negated, or a reset of a command-line-only option.
    public func match(_ typed: String, prefixMatch: Bool = false) throws -> OptionNameMatch? {
        var name = Substring(typed)
        var negate = false
        var reset = false
        if name.hasPrefix("no-") {
            negate = true
            name = name.dropFirst(3)
        } else if name.hasPrefix("reset-") {
            reset = true
            name = name.dropFirst(6)
        }
        var index: Int?
        if let dash = name.firstIndex(of: "-") {
            if dash == name.startIndex {
                throw PGVError(.optionInvalid, "option '\(typed)' cannot begin with a dash")
            }
            var digitStart = dash
            while digitStart > name.startIndex, name[name.index(before: digitStart)].isASCII,
                name[name.index(before: digitStart)].isNumber
            {
                digitStart = name.index(before: digitStart)
            }
            if digitStart == name.startIndex {
                throw PGVError(.optionInvalid, "option '\(typed)' cannot begin with a number")
            }
            if digitStart != dash {
                let digits = name[digitStart..<dash]
                guard let value = Int(digits), value <= OptionGroup.maxIndex else {
                    throw PGVError(.optionInvalid, "option '\(typed)' key exceeds maximum of \(OptionGroup.maxIndex)")
                }
                if value == 0 {
                    throw PGVError(.optionInvalid, "option '\(typed)' key must be at least 1")
                }
                index = value
                name = name[name.startIndex..<digitStart] + name[dash...]
            }
        }
        var found = options[String(name)]
        if found == nil, prefixMatch {
            let candidates = optionNames.filter { $0.hasPrefix(name) }
            if candidates.count == 1 { found = options[candidates[0]] }
        }
        guard let option = found else { return nil }
        if negate && !option.negatable {
            throw PGVError(.optionInvalid, "option '\(typed)' cannot be negated")
        }
        if reset && !option.resettable {
            throw PGVError(.optionInvalid, "option '\(typed)' cannot be reset")
        }
        if index != nil && option.group == nil {
            throw PGVError(.optionInvalid, "option '\(typed)' cannot have an index")
        }
        // pgBackRest accepts the unindexed form only for deprecated names; pgvault reads it as index 1 for every
        // indexed option, so `repo-path=/x` in an old config keeps working.
        return OptionNameMatch(key: OptionKey(option.name, index: index ?? 1), negate: negate, reset: reset)
    }
}
