import VaultCore

/// Turns the command line, the environment and pgbackrest.conf into one `ResolvedConfig`, as pgBackRest's
/// `configParse` does. Precedence, highest first: command line, environment (`PGVAULT_*` over `PGBACKREST_*`),
/// `[STANZA:COMMAND]`, `[STANZA]`, `[global:COMMAND]`, `[global]`, the option's default.
///
/// Config file: `--config` if given (then `conf.d` is read only with `--config-include-path` or `--config-path`);
/// else `/etc/pgvault/pgvault.conf` if it exists, else `/etc/pgbackrest/pgbackrest.conf` (else the old
/// `/etc/pgbackrest.conf`); plus every `*.conf` of the include directory (default `conf.d` beside the config file)
/// in sorted order. `--config-path` moves the base directory of both. `--no-config` skips the main file.
/// A key repeated across these files counts as repeated, as pgBackRest concatenates them.
///
/// Unknown options in the environment or the file become warnings in the result; every value is checked
/// (type, allowed values, range) whichever source it came from, and errors name the option.
public struct ConfigResolver: Sendable {
    public let table: OptionTable
    public let inputs: ConfigInputs

    static let pgvaultConfig = "/etc/pgvault/pgvault.conf"
    static let pgbackrestConfig = "/etc/pgbackrest/pgbackrest.conf"
    static let originalConfig = "/etc/pgbackrest.conf"
    static let environmentPrefixes = ["PGVAULT_", "PGBACKREST_"]

    public init(table: OptionTable = .standard, inputs: ConfigInputs) {
        self.table = table
        self.inputs = inputs
    }

    /// Parses `arguments` (without the program name) and resolves them.
    public func resolve(arguments: [String]) throws -> ResolvedConfig {
        try resolve(CommandLineParser(table: table).parse(arguments))
    }

    public func resolve(_ commandLine: ParsedCommandLine) throws -> ResolvedConfig {
        let command = commandLine.command
        var found: [OptionKey: (setting: RawOptionSetting, source: ConfigSource)] = [:]
        for (key, setting) in commandLine.options { found[key] = (setting, .commandLine) }
        if command == "help" || command == "version" {
            return ResolvedConfig(
                table: table, command: command, help: commandLine.help, arguments: commandLine.arguments,
                values: [:], warnings: [], repoIndexes: [], pgIndexes: [], configFiles: [])
        }
        var warnings: [String] = []

        // Environment: PGVAULT_* first so that it wins over PGBACKREST_*.
        for prefix in Self.environmentPrefixes {
            for variable in inputs.environment.keys.sorted() where variable.hasPrefix(prefix) {
                let value = inputs.environment[variable] ?? ""
                let name = String(variable.dropFirst(prefix.count)).lowercased().map { $0 == "_" ? "-" : $0 }
                    .reduce(into: "") { $0.append($1) }
                guard let match = try table.match(name), let option = table.option(match.key.name) else {
                    warnings.append("environment contains invalid option '\(name)'")
                    continue
                }
                if match.negate {
                    warnings.append("environment contains invalid negate option '\(name)'")
                    continue
                }
                if match.reset {
                    warnings.append("environment contains invalid reset option '\(name)'")
                    continue
                }
                guard option.isValid(for: command) else { continue }
                if value.isEmpty {
                    throw PGVError(.optionInvalidValue, "environment variable '\(name)' must have a value")
                }
                if found[match.key] != nil { continue }
                var setting = RawOptionSetting()
                if option.type == .boolean {
                    guard value == "y" || value == "n" else {
                        throw PGVError(.optionInvalidValue, "environment boolean option '\(name)' must be 'y' or 'n'")
                    }
                    setting.negate = value == "n"
                } else if option.type.isRepeatable {
                    setting.values = value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                } else {
                    setting.values = [value]
                }
                found[match.key] = (setting, .environment(variable))
            }
        }

        // Config files.
        let (document, files) = try loadConfigFiles(found.mapValues(\.setting))
        if let document {
            var sections: [String] = []
            if let stanza = found[OptionKey("stanza")], !stanza.setting.reset, let name = stanza.setting.values.first {
                sections += ["\(name):\(command)", name]
            }
            sections += ["global:\(command)", "global"]
            for (sectionIndex, sectionName) in sections.enumerated() {
                guard let section = document.section(sectionName) else { continue }
                let isCommandSection = sectionName.hasSuffix(":\(command)")
                for key in section.keys {
                    let values = section.values[key] ?? []
                    guard let match = try table.match(key), let option = table.option(match.key.name) else {
                        warnings.append("configuration file contains invalid option '\(key)'")
                        continue
                    }
                    if match.negate {
                        warnings.append("configuration file contains negate option '\(key)'")
                        continue
                    }
                    if match.reset {
                        warnings.append("configuration file contains reset option '\(key)'")
                        continue
                    }
                    if option.section == .commandLine {
                        warnings.append("configuration file contains command-line only option '\(key)'")
                        continue
                    }
                    if !option.isValid(for: command) {
                        if isCommandSection {
                            warnings.append(
                                "configuration file contains option '\(key)' invalid for section '\(sectionName)'")
                        }
                        continue
                    }
                    if option.section == .stanza && sectionIndex >= sections.count - 2 {
                        warnings.append(
                            "configuration file contains stanza-only option '\(key)' in global section '\(sectionName)'")
                        continue
                    }
                    if found[match.key] != nil { continue }
                    var setting = RawOptionSetting()
                    if values.count > 1 {
                        guard option.type.isRepeatable else {
                            throw PGVError(.optionInvalid, "option '\(match.key)' cannot be set multiple times")
                        }
                        setting.values = values
                    } else {
                        let value = values.first ?? ""
                        if value.isEmpty {
                            throw PGVError(
                                .optionInvalidValue, "section '\(sectionName)', key '\(key)' must have a value")
                        }
                        if option.type == .boolean {
                            guard value == "y" || value == "n" else {
                                throw PGVError(.optionInvalidValue, "boolean option '\(key)' must be 'y' or 'n'")
                            }
                            setting.negate = value == "n"
                        } else {
                            setting.values = [value]
                        }
                    }
                    found[match.key] = (setting, .configFile(section: sectionName))
                }
            }
        }

        // Indexes in use per group: any index with a value (not a reset) for an option the command takes.
        var groupIndexes: [OptionGroup: [Int]] = [:]
        for group in OptionGroup.allCases {
            var indexes = Set<Int>()
            for (key, entry) in found where !entry.setting.reset {
                if let option = table.option(key.name), option.group == group, option.isValid(for: command) {
                    indexes.insert(key.index)
                }
            }
            if indexes.isEmpty || group == .pg { indexes.insert(1) }
            groupIndexes[group] = indexes.sorted()
        }

        // Resolve every option the command takes: stanza first, then by name, each after what it depends on.
        var state = ResolutionState()
        let order = ["stanza"] + table.optionNames.filter { $0 != "stanza" }
        for name in order {
            try resolveOption(
                name, command: command, help: commandLine.help, found: found, groupIndexes: groupIndexes,
                state: &state)
        }
        return ResolvedConfig(
            table: table, command: command, help: commandLine.help, arguments: commandLine.arguments,
            values: state.values, warnings: warnings, repoIndexes: groupIndexes[.repo] ?? [1],
            pgIndexes: groupIndexes[.pg] ?? [1], configFiles: files, role: commandLine.role)
    }

    private struct ResolutionState {
        var values: [OptionKey: ResolvedOption] = [:]
        var visited: Set<String> = []
    }

    private func resolveOption(
        _ name: String, command: String, help: Bool,
        found: [OptionKey: (setting: RawOptionSetting, source: ConfigSource)], groupIndexes: [OptionGroup: [Int]],
        state: inout ResolutionState
    ) throws {
        guard !state.visited.contains(name), let option = table.option(name) else { return }
        state.visited.insert(name)
        guard option.isValid(for: command) else { return }
        let dependency = option.dependency(for: command)
        if let dependency {
            try resolveOption(
                dependency.option, command: command, help: help, found: found, groupIndexes: groupIndexes,
                state: &state)
        }
        let indexes = option.group.map { groupIndexes[$0] ?? [1] } ?? [1]
        for index in indexes {
            let key = OptionKey(name, index: index)
            let entry = found[key]
            let isSet = entry.map { !$0.setting.reset && (option.type == .boolean || !$0.setting.negate) } ?? false

            if let dependency {
                let dependencyOption = table.option(dependency.option)
                let dependencyKey = OptionKey(dependency.option, index: dependencyOption?.group == nil ? 1 : index)
                let current = state.values[dependencyKey].map { Self.text(of: $0.value) }
                let holds = current.map { value in dependency.values.map { $0.contains(value) } ?? true } ?? false
                if !holds {
                    if isSet, let entry, entry.source == .commandLine {
                        throw dependencyError(key: key, dependencyKey: dependencyKey, dependency: dependency,
                            dependencyIsSet: current != nil, dependencyIsBoolean: dependencyOption?.type == .boolean)
                    }
                    if let fallback = dependency.defaultWhenUnresolved {
                        state.values[key] = ResolvedOption(
                            value: .boolean(fallback), source: .defaultValue, display: fallback ? "y" : "n")
                    }
                    continue
                }
            }

            if isSet, let entry {
                let raw = option.type == .boolean ? [entry.setting.negate ? "n" : "y"] : entry.setting.values
                let value = try OptionValueParser.parse(raw, option: option, key: key, command: command)
                state.values[key] = ResolvedOption(value: value, source: entry.source, display: raw.joined(separator: ", "))
            } else if entry?.setting.negate == true && entry?.setting.reset == false {
                continue
            } else if let defaultText = option.defaultValue(for: command) {
                let value = try OptionValueParser.parse([defaultText], option: option, key: key, command: command)
                state.values[key] = ResolvedOption(value: value, source: .defaultValue, display: defaultText)
            } else if option.isRequired(for: command) && !help {
                throw PGVError(
                    .optionRequired, "\(command) command requires option: \(key)",
                    hint: option.section == .stanza ? "does this stanza exist?" : nil)
            }
        }
    }

    /// `option 'target' not valid without option 'type' in ('lsn', 'name', 'time', 'xid')` and its variants.
    private func dependencyError(
        key: OptionKey, dependencyKey: OptionKey, dependency: OptionDependency, dependencyIsSet: Bool,
        dependencyIsBoolean: Bool
    ) -> PGVError {
        var dependencyName = dependencyKey.description
        var suffix = ""
        if dependencyIsSet, let values = dependency.values {
            if dependencyIsBoolean {
                if values == ["n"] { dependencyName = "no-" + dependencyName }
            } else if values.count == 1 {
                suffix = " = '\(values[0])'"
            } else {
                suffix = " in (" + values.map { "'\($0)'" }.joined(separator: ", ") + ")"
            }
        }
        return PGVError(.optionInvalid, "option '\(key)' not valid without option '\(dependencyName)'\(suffix)")
    }

    /// Value as compared against a dependency list: booleans as `y`/`n`.
    static func text(of value: OptionValue) -> String {
        switch value {
        case .boolean(let flag): flag ? "y" : "n"
        case .integer(let number), .size(let number): String(number)
        case .time(let seconds): String(seconds)
        case .string(let text): text
        case .list(let items): items.joined(separator: ":")
        case .hash(let entries): entries.map { "\($0.key)=\($0.value)" }.joined(separator: ":")
        }
    }

    /// Finds and reads the config file and include directory; returns the merged document and the files read.
    private func loadConfigFiles(_ settings: [OptionKey: RawOptionSetting]) throws -> (IniDocument?, [String]) {
        func explicit(_ name: String) -> String? {
            guard let setting = settings[OptionKey(name)], !setting.reset, !setting.negate else { return nil }
            return setting.values.first
        }
        let configOption = settings[OptionKey("config")]
        let noConfig = configOption?.negate == true
        let configFile = explicit("config")
        let configPath = explicit("config-path")
        let includePath = explicit("config-include-path")

        var document: IniDocument?
        var files: [String] = []
        var defaultBase = "/etc/pgbackrest"

        if !noConfig {
            var contents: String?
            var path: String?
            if let configFile {
                guard let text = try inputs.readFile(configFile) else {
                    throw PGVError(.fileMissing, "unable to open missing file '\(configFile)' for read")
                }
                (contents, path) = (text, configFile)
            } else {
                let candidates =
                    configPath.map { ["\($0)/pgvault.conf", "\($0)/pgbackrest.conf"] }
                    ?? [Self.pgvaultConfig, Self.pgbackrestConfig, Self.originalConfig]
                for candidate in candidates {
                    if let text = try inputs.readFile(candidate) {
                        (contents, path) = (text, candidate)
                        break
                    }
                }
            }
            if let contents, let path {
                document = try parseFile(contents, path: path)
                files.append(path)
                if path == Self.pgvaultConfig { defaultBase = "/etc/pgvault" }
            }
        }

        let loadIncludes = configFile == nil || configPath != nil || includePath != nil
        if loadIncludes {
            let directory = includePath ?? "\(configPath ?? defaultBase)/conf.d"
            guard let names = try inputs.listDirectory(directory) else {
                if includePath != nil {
                    throw PGVError(.pathMissing, "unable to list file info for missing path '\(directory)'")
                }
                return (document, files)
            }
            for name in names.sorted() where name.hasSuffix(".conf") && name.count > 5 {
                let path = "\(directory)/\(name)"
                guard let text = try inputs.readFile(path) else { continue }
                let part = try parseFile(text, path: path)
                if document == nil { document = IniDocument() }
                document?.merge(part)
                files.append(path)
            }
        }
        return (document, files)
    }

    private func parseFile(_ text: String, path: String) throws -> IniDocument {
        do {
            return try IniParser.parse(text)
        } catch var error as PGVError {
            error.hint = "in configuration file '\(path)'"
            throw error
        }
    }
}
