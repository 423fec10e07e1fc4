/// The result of resolution: the command, its positional arguments and every option the command takes, typed,
/// with where each value came from. Options the command does not take, and options with no value and no default,
/// are absent. Getters take the name without index (`repo-path`) and an index for grouped options.
public struct ResolvedConfig: Sendable {
    public let table: OptionTable
    public let command: String
    /// `help COMMAND`: the command's options were resolved without enforcing required ones.
    public let help: Bool
    public let arguments: [String]
    public let values: [OptionKey: ResolvedOption]
    /// Problems found in the environment and config file that pgBackRest logs as warnings; not printed here.
    public let warnings: [String]
    /// Repository indexes in use (`[1]` when none is configured).
    public let repoIndexes: [Int]
    /// PostgreSQL indexes in use (always includes 1).
    public let pgIndexes: [Int]
    /// Config files read, main file first, then the include directory in sorted order.
    public let configFiles: [String]
    /// The internal role (`async` for `archive-push:async`); nil for the main role.
    public let role: String?

    public init(
        table: OptionTable, command: String, help: Bool, arguments: [String], values: [OptionKey: ResolvedOption],
        warnings: [String], repoIndexes: [Int], pgIndexes: [Int], configFiles: [String], role: String? = nil
    ) {
        self.role = role
        self.table = table
        self.command = command
        self.help = help
        self.arguments = arguments
        self.values = values
        self.warnings = warnings
        self.repoIndexes = repoIndexes
        self.pgIndexes = pgIndexes
        self.configFiles = configFiles
    }

    // MARK: raw access

    public func resolved(_ name: String, index: Int = 1) -> ResolvedOption? {
        values[OptionKey(name, index: index)]
    }

    public func isSet(_ name: String, index: Int = 1) -> Bool { resolved(name, index: index) != nil }

    /// Where the value came from, nil when the option has no value.
    public func source(_ name: String, index: Int = 1) -> ConfigSource? { resolved(name, index: index)?.source }

    // MARK: typed getters

    /// A string, path or enumeration value.
    public func string(_ name: String, index: Int = 1) -> String? {
        if case .string(let text)? = resolved(name, index: index)?.value { return text }
        return nil
    }

    /// A boolean; false when unset (every boolean but checksum-page has a default; use `isSet` to tell).
    public func bool(_ name: String, index: Int = 1) -> Bool {
        if case .boolean(let flag)? = resolved(name, index: index)?.value { return flag }
        return false
    }

    public func int(_ name: String, index: Int = 1) -> Int? {
        if case .integer(let number)? = resolved(name, index: index)?.value { return Int(number) }
        return nil
    }

    /// A size in bytes.
    public func size(_ name: String, index: Int = 1) -> Int64? {
        if case .size(let bytes)? = resolved(name, index: index)?.value { return bytes }
        return nil
    }

    /// A time in seconds.
    public func time(_ name: String, index: Int = 1) -> Double? {
        if case .time(let seconds)? = resolved(name, index: index)?.value { return seconds }
        return nil
    }

    /// A list option's elements; empty when unset.
    public func list(_ name: String, index: Int = 1) -> [String] {
        if case .list(let items)? = resolved(name, index: index)?.value { return items }
        return []
    }

    /// A hash option's pairs in the order given; empty when unset.
    public func hashEntries(_ name: String, index: Int = 1) -> [OptionHashEntry] {
        if case .hash(let entries)? = resolved(name, index: index)?.value { return entries }
        return []
    }

    /// A hash option as a dictionary; empty when unset.
    public func hash(_ name: String, index: Int = 1) -> [String: String] {
        Dictionary(hashEntries(name, index: index).map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    // MARK: indexed shorthands: string("path", repo: 2) reads repo2-path

    public func string(_ name: String, repo: Int) -> String? { string(Self.grouped(name, .repo), index: repo) }
    public func string(_ name: String, pg: Int) -> String? { string(Self.grouped(name, .pg), index: pg) }
    public func bool(_ name: String, repo: Int) -> Bool { bool(Self.grouped(name, .repo), index: repo) }
    public func int(_ name: String, repo: Int) -> Int? { int(Self.grouped(name, .repo), index: repo) }
    public func int(_ name: String, pg: Int) -> Int? { int(Self.grouped(name, .pg), index: pg) }
    public func size(_ name: String, repo: Int) -> Int64? { size(Self.grouped(name, .repo), index: repo) }

    /// The options of repository `index` (`repoN-*`).
    public func repo(_ index: Int) -> RepoOptions { RepoOptions(config: self, index: index) }

    /// The options of PostgreSQL cluster `index` (`pgN-*`).
    public func pg(_ index: Int) -> PgOptions { PgOptions(config: self, index: index) }

    /// Every configured repository, in index order.
    public var repos: [RepoOptions] { repoIndexes.map(repo) }

    static func grouped(_ name: String, _ group: OptionGroup) -> String {
        name.hasPrefix(group.rawValue + "-") ? name : group.rawValue + "-" + name
    }

    // MARK: logging

    /// The options that did not come from defaults, as pgBackRest logs them at command start:
    /// `--no-online --repo1-cipher-pass=<redacted> --stanza=main --type=full`, secure values redacted.
    public var redactedDescription: String {
        values.keys.sorted().compactMap { key -> String? in
            guard let resolved = values[key], resolved.source != .defaultValue else { return nil }
            return ConfigRedaction.argument(key: key, value: resolved.value, table: table)
        }.joined(separator: " ")
    }
}
