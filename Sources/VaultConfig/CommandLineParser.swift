import VaultCore

/// Parses `pgvault [options] COMMAND [options] [args]` with pgBackRest's rules (`src/config/parse.c`):
/// - options go before or after the command word, as `--opt=value` or `--opt value` (the table says whether an
///   option takes a value, so `--stanza main backup` reads `main` as the value and `backup` as the command);
/// - booleans as `--opt`, `--no-opt` or `--opt=y|n`; `--reset-opt` returns an option to its default;
/// - list and hash options repeat; others may be given once;
/// - indexed options `--repo2-path`, `--pg1-port` (index 1–256); a unique prefix of an option name is accepted;
/// - secure options (passphrases, keys) are refused: they would show in the process list.
/// The first word that is not an option is the command; `help` as that word makes the next word the command.
/// An internal role is given as `command:role` (`archive-push:async`, see `CommandTable.internalRoles`).
public struct CommandLineParser: Sendable {
    public let table: OptionTable

    public init(table: OptionTable = .standard) {
        self.table = table
    }

    /// Parses `arguments` (without the program name). Throws PGVError with pgBackRest's code and wording.
    public func parse(_ arguments: [String]) throws -> ParsedCommandLine {
        var options: [OptionKey: RawOptionSetting] = [:]
        var command: String?
        var role: String?
        var help = false
        var parameters: [String] = []
        var position = 0

        while position < arguments.count {
            let word = arguments[position]
            position += 1
            if word.hasPrefix("-") {
                guard word.hasPrefix("--") else {
                    throw PGVError(.optionInvalid, "option '\(word)' must begin with --")
                }
                let body = word.dropFirst(2)
                let typedName: String
                var argument: String?
                if let equal = body.firstIndex(of: "=") {
                    typedName = String(body[..<equal])
                    argument = String(body[body.index(after: equal)...])
                } else {
                    typedName = String(body)
                }
                guard var match = try table.match(typedName, prefixMatch: true),
                    let option = table.option(match.key.name)
                else {
                    throw PGVError(.optionInvalid, "invalid option '--\(body)'")
                }
                if !match.negate && !match.reset {
                    if option.type == .boolean {
                        if let value = argument {
                            if value == "n" {
                                match.negate = true
                            } else if value != "y" {
                                throw PGVError(
                                    .optionInvalidValue, "boolean option '--\(typedName)' argument must be 'y' or 'n'")
                            }
                            argument = nil
                        }
                    } else if argument == nil {
                        guard position < arguments.count else {
                            throw PGVError(.optionInvalid, "option '--\(typedName)' requires an argument")
                        }
                        argument = arguments[position]
                        position += 1
                    }
                } else if argument != nil {
                    throw PGVError(.optionInvalid, "option '\(typedName)' does not allow an argument")
                }
                if option.secure {
                    throw PGVError(
                        .optionInvalid, "option '\(match.key)' is not allowed on the command-line",
                        hint: "this option could expose secrets in the process list.\n"
                            + "HINT: specify the option in a configuration file or an environment variable instead.")
                }
                try record(match, argument: argument, option: option, into: &options)
            } else if command == nil, let colon = word.firstIndex(of: ":") {
                let base = String(word[..<colon])
                let roleName = String(word[word.index(after: colon)...])
                guard table.command(base) != nil else { throw PGVError(.commandInvalid, "invalid command '\(base)'") }
                guard CommandTable.internalRoles[base]?.contains(roleName) == true else {
                    throw PGVError(.commandInvalid, "invalid command/role combination '\(word)'")
                }
                command = base
                role = roleName
            } else if command == nil {
                guard table.command(word) != nil else {
                    throw PGVError(.commandInvalid, "invalid command '\(word)'")
                }
                if word == "help" && !help {
                    help = true
                } else {
                    command = word
                }
            } else {
                parameters.append(word)
            }
        }

        if command == nil && !help && !arguments.isEmpty {
            throw PGVError(.commandRequired, "no command found")
        }
        let resolvedCommand = command ?? "help"
        if !parameters.isEmpty && !help, let definition = table.command(resolvedCommand), !definition.allowsParameters {
            throw PGVError(.paramInvalid, "command does not allow parameters")
        }
        if resolvedCommand != "help" && resolvedCommand != "version" {
            for key in options.keys.sorted() {
                if let option = table.option(key.name), !option.isValid(for: resolvedCommand) {
                    throw PGVError(
                        .optionInvalid, "option '\(key.name)' not valid for command '\(resolvedCommand)'")
                }
            }
        }
        return ParsedCommandLine(
            command: command ?? "help", help: help || command == nil, arguments: parameters, options: options,
            role: role)
    }

    /// Adds one occurrence, refusing repeats that pgBackRest refuses.
    private func record(
        _ match: OptionNameMatch, argument: String?, option: OptionDefinition,
        into options: inout [OptionKey: RawOptionSetting]
    ) throws {
        let name = match.key.description
        guard var existing = options[match.key] else {
            options[match.key] = RawOptionSetting(
                values: argument.map { [$0] } ?? [], negate: match.negate, reset: match.reset)
            return
        }
        if existing.negate && match.negate {
            throw PGVError(.optionInvalid, "option '\(name)' is negated multiple times")
        }
        if existing.reset && match.reset {
            throw PGVError(.optionInvalid, "option '\(name)' is reset multiple times")
        }
        if (existing.reset && match.negate) || (existing.negate && match.reset) {
            throw PGVError(.optionInvalid, "option '\(name)' cannot be negated and reset")
        }
        if existing.negate != match.negate {
            throw PGVError(.optionInvalid, "option '\(name)' cannot be set and negated")
        }
        if existing.reset != match.reset {
            throw PGVError(.optionInvalid, "option '\(name)' cannot be set and reset")
        }
        guard let argument, option.type.isRepeatable else {
            throw PGVError(.optionInvalid, "option '\(name)' cannot be set multiple times")
        }
        existing.values.append(argument)
        options[match.key] = existing
    }
}
