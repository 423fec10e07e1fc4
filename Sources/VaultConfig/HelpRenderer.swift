import VaultCore

/// Text of `help`, `help COMMAND` and `help COMMAND OPTION`, generated from the option table. Internal options are
/// left out; secure options are listed but their defaults and values never shown.
public struct HelpRenderer: Sendable {
    public let table: OptionTable

    public init(table: OptionTable = .standard) {
        self.table = table
    }

    /// Renders help for `help [COMMAND [OPTION]]`: `words` are the command and option names after `help`.
    /// Throws CommandInvalidError (048) for an unknown command, OptionInvalidError (031) for an unknown option.
    public func render(_ words: [String]) throws -> String {
        guard let commandName = words.first else { return commandList() }
        guard let command = table.command(commandName) else {
            throw PGVError(.commandInvalid, "invalid command '\(commandName)'")
        }
        if words.count > 1 { return try optionHelp(command: command, optionName: words[1]) }
        return commandHelp(command)
    }

    /// `help`: usage and every command with its summary.
    public func commandList() -> String {
        let width = (table.commandNames.map(\.count).max() ?? 0) + 4
        var lines = [
            header(),
            "",
            "Usage:",
            "    pgvault [options] [command]",
            "",
            "Commands:",
        ]
        for name in table.commandNames.sorted() {
            guard let command = table.command(name) else { continue }
            lines.append("    " + pad(name, width) + command.summary)
        }
        lines += ["", "Use 'pgvault help [command]' for more information."]
        return lines.joined(separator: "\n") + "\n"
    }

    /// `help COMMAND`: usage and the command's options grouped by section, with defaults.
    public func commandHelp(_ command: CommandDefinition) -> String {
        var lines = [
            header("'\(command.name)' command help"), "",
            "\(command.summary.dropLast(command.summary.hasSuffix(".") ? 1 : 0)) command", "",
            "Usage:", "    pgvault [options] \(command.name)" + (command.allowsParameters ? " [args]" : ""), "",
        ]
        let options = table.optionNames.compactMap { table.option($0) }.filter {
            $0.isValid(for: command.name) && !$0.isInternal
        }
        let groups: [(String, (OptionDefinition) -> Bool)] = [
            ("Command Options", { $0.section == .commandLine }),
            ("General Options", { $0.section == .global && $0.group == nil && !$0.name.hasPrefix("log-") }),
            ("Log Options", { $0.section == .global && $0.group == nil && $0.name.hasPrefix("log-") }),
            ("Repository Options", { $0.group == .repo }),
            ("Stanza Options", { $0.group == .pg || ($0.section == .stanza && $0.group == nil) }),
        ]
        let width = (options.map { displayName($0).count }.max() ?? 0) + 4
        for (title, belongs) in groups {
            let members = options.filter(belongs)
            guard !members.isEmpty else { continue }
            lines.append("\(title):")
            lines.append("")
            for option in members {
                var text = "  --" + pad(displayName(option), width) + option.summary
                if let shown = defaultText(option, command: command.name) { text += " [default=\(shown)]" }
                lines.append(text)
            }
            lines.append("")
        }
        lines.append("Use 'pgvault help \(command.name) [option]' for more information.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `help COMMAND OPTION`: the option's summary, type, default and allowed values or range.
    public func optionHelp(command: CommandDefinition, optionName: String) throws -> String {
        guard let match = try table.match(optionName), let option = table.option(match.key.name) else {
            throw PGVError(.optionInvalid, "option '\(optionName)' is not valid for command '\(command.name)'")
        }
        guard option.isValid(for: command.name) else {
            throw PGVError(.optionInvalid, "option '\(optionName)' is not valid for command '\(command.name)'")
        }
        var lines = [
            header("'\(command.name)' command - '\(displayName(option))' option help"), "",
            "\(command.summary.dropLast(command.summary.hasSuffix(".") ? 1 : 0)) command - '\(displayName(option))' option", "",
            option.summary, "", "type: \(option.type.rawValue)",
        ]
        if let shown = defaultText(option, command: command.name) { lines.append("default: \(shown)") }
        if let allowed = option.allowedValues(for: command.name) {
            lines.append("allowed: \(allowed.joined(separator: ", "))")
        }
        if let range = option.allowedRange {
            let format: (Double) -> String = { value in
                if option.type == .size { return OptionValueParser.sizeText(Int64(value)) }
                return value == value.rounded() ? String(Int64(value)) : String(value)
            }
            lines.append("range: \(format(range.lower))-\(format(range.upper))")
        }
        if option.type.isRepeatable { lines.append("repeatable: yes") }
        if option.secure { lines.append("secure: yes (config file or environment only)") }
        if let group = option.group { lines.append("indexed: \(group.rawValue)1-\(group.rawValue)\(OptionGroup.maxIndex)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `pgvault 0.1.0 - 'backup' command help`, as pgBackRest titles its help pages.
    private func header(_ subject: String = "General help") -> String { "pgvault \(PGVaultVersion.current) - \(subject)" }

    /// `repo-path` is shown as `repo1-path`, the form users type.
    private func displayName(_ option: OptionDefinition) -> String { option.displayName(index: 1) }

    private func defaultText(_ option: OptionDefinition, command: String) -> String? {
        guard !option.secure, let value = option.defaultValue(for: command) else { return nil }
        return value
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
