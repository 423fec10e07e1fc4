/// Where a resolved value came from, for debugging and for `help` and logs.
public enum ConfigSource: Sendable, Equatable, CustomStringConvertible {
    case commandLine
    /// The environment variable that held it (`PGVAULT_REPO1_PATH` or `PGBACKREST_REPO1_PATH`).
    case environment(String)
    /// The config file section that held it (`global`, `main:backup`).
    case configFile(section: String)
    /// The option table's default (or a dependency's default).
    case defaultValue

    public var description: String {
        switch self {
        case .commandLine: "command line"
        case .environment(let name): "environment \(name)"
        case .configFile(let section): "config [\(section)]"
        case .defaultValue: "default"
        }
    }
}
