/// The options of one PostgreSQL cluster (`pgN-*`) with their pgBackRest names as properties.
public struct PgOptions: Sendable {
    public let config: ResolvedConfig
    public let index: Int

    public init(config: ResolvedConfig, index: Int) {
        self.config = config
        self.index = index
    }

    /// The data directory (PGDATA).
    public var path: String? { config.string("pg-path", index: index) }
    public var port: Int { config.int("pg-port", index: index) ?? 5432 }
    public var socketPath: String? { config.string("pg-socket-path", index: index) }
    public var user: String? { config.string("pg-user", index: index) }
    public var database: String { config.string("pg-database", index: index) ?? "postgres" }
    public var host: String? { config.string("pg-host", index: index) }
    public var hostUser: String? { config.string("pg-host-user", index: index) }
}
