/// Where and as whom to connect: the `pg1-socket-path`, `pg1-host`, `pg1-port`, `pg1-user` and `pg1-database`
/// options. Only the values given go into the libpq conninfo string, so libpq's own defaults, the `PG*`
/// environment variables and `~/.pgpass` fill in the rest exactly as they do for `psql`.
public struct DatabaseConnectionOptions: Sendable, Hashable {
    /// Directory holding the server's unix socket (`host=<dir>` to libpq). Wins over `host` when both are set.
    public var socketPath: String?
    /// Host name or address for a TCP connection.
    public var host: String?
    public var port: Int?
    public var user: String?
    public var database: String?
    /// Reported in `pg_stat_activity.application_name`.
    public var applicationName: String

    public init(
        socketPath: String? = nil, host: String? = nil, port: Int? = nil, user: String? = nil,
        database: String? = nil, applicationName: String = "pgvault"
    ) {
        self.socketPath = socketPath
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.applicationName = applicationName
    }

    /// The libpq conninfo string: `dbname='postgres' port=5432 host='/tmp' user='postgres' application_name='pgvault'`.
    /// It never holds a password (that comes from `PGPASSWORD` or `.pgpass`), so it is safe to print.
    public var conninfo: String {
        var parts: [String] = []
        if let database { parts.append("dbname=\(Self.quote(database))") }
        if let port { parts.append("port=\(port)") }
        if let hostValue = socketPath ?? host { parts.append("host=\(Self.quote(hostValue))") }
        if let user { parts.append("user=\(Self.quote(user))") }
        parts.append("application_name=\(Self.quote(applicationName))")
        return parts.joined(separator: " ")
    }

    /// A conninfo value in single quotes with `\` and `'` backslash-escaped, as libpq's parser expects.
    static func quote(_ value: String) -> String {
        var quoted = "'"
        for character in value {
            if character == "\\" || character == "'" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "'"
    }
}
