import VaultConfig
import VaultCore
import VaultPostgres
import VaultStorage

/// The PostgreSQL cluster a command works on (`pg1-*`): its data directory and how to reach its server.
public struct ClusterTarget: Sendable {
    /// `pg1-path`, absolute.
    public let dataPath: String
    public let connection: DatabaseConnectionOptions

    public init(dataPath: String, connection: DatabaseConnectionOptions) {
        self.dataPath = dataPath
        self.connection = connection
    }

    /// Reads `pg<index>-*`; `pg<index>-path` is required (037) because every command that needs a cluster needs it.
    public static func from(_ context: CommandContext, pg index: Int = 1) throws -> ClusterTarget {
        let options = context.config.pg(index)
        guard let path = options.path else {
            throw PGVError(.optionRequired, "\(context.config.command) command requires option: pg\(index)-path",
                           hint: "does this stanza exist?")
        }
        return ClusterTarget(dataPath: path, connection: DatabaseConnectionOptions(
            socketPath: options.socketPath, host: options.host, port: options.port, user: options.user,
            database: options.database))
    }

    /// The data directory as a storage root (for reading files to back up, or writing restored ones).
    public func storage() throws -> PosixStorage { try PosixStorage(root: dataPath) }

    /// Reads and validates `global/pg_control` (CRC-checked by `PgControl`). A missing file means pg1-path is not a
    /// cluster: `.fileMissing` (055) with a hint.
    public func readControl() async throws -> PgControl {
        let storage = try storage()
        let bytes: [UInt8]
        do {
            bytes = try await storage.get(PgControl.path)
        } catch let error as PGVError where error.code == .fileMissing {
            throw PGVError(.fileMissing, error.message, hint: "is pg1-path '\(dataPath)' a PostgreSQL data directory?")
        }
        return try PgControl(bytes: bytes, source: dataPath + "/" + PgControl.path)
    }

    /// Opens a libpq session and checks it reaches the cluster at `dataPath` (version and system id, 058).
    public func connect(control: PgControl) async throws -> DatabaseSession {
        let session = try await DatabaseSession.connect(connection)
        do {
            try await PgClusterCheck.validate(session: session, control: control, pgPath: dataPath)
        } catch {
            await session.close()
            throw error
        }
        return session
    }

    /// True when `postmaster.pid` exists in the data directory (the cluster is, or looks, running).
    public func postmasterRunning() async throws -> Bool {
        try await storage().exists("postmaster.pid")
    }
}
