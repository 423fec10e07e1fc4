import VaultCore

/// A session with one PostgreSQL server over libpq. Every libpq call runs on the session's own single-thread
/// `BlockingPool`, so calls are serialised, never block the cooperative pool, and always use the same connection
/// (which non-exclusive backup requires: `pg_backup_stop` must run where `pg_backup_start` ran).
///
/// Call `close()` when done; it runs `PQfinish` and stops the thread.
public final class DatabaseSession: Sendable {
    public let options: DatabaseConnectionOptions
    /// `PQserverVersion`: 150004 for 15.4.
    public let serverVersionNum: Int
    private let pool: BlockingPool
    private let connection: LibPQConnection

    /// The advisory lock key pgBackRest takes so that two backups of one cluster cannot run at once.
    public static let advisoryLockKey: Int64 = 12_340_078_987_004_321

    private init(options: DatabaseConnectionOptions, serverVersionNum: Int, pool: BlockingPool, connection: LibPQConnection) {
        self.options = options
        self.serverVersionNum = serverVersionNum
        self.pool = pool
        self.connection = connection
    }

    /// A session dropped without `close()` still releases its connection and thread. No call can be in flight here
    /// (every call holds the session), so `PQfinish` runs directly.
    deinit {
        connection.finish()
        let pool = self.pool
        Task { try? await pool.shutdown() }
    }

    /// Connects (`PQconnectdb` with `options.conninfo`) and prepares the session: `search_path` = `pg_catalog`,
    /// `client_encoding` = `UTF8`, `max_parallel_workers_per_gather` = 0.
    ///
    /// - Throws: `dbConnect` [056] when the connection fails, `dbQuery` [057] when a SET fails.
    public static func connect(_ options: DatabaseConnectionOptions) async throws -> DatabaseSession {
        let pool = BlockingPool(threads: 1)
        let connection = LibPQConnection(conninfo: options.conninfo)
        do {
            let version = try await pool.run { try connection.open() }
            let session = DatabaseSession(options: options, serverVersionNum: version, pool: pool, connection: connection)
            for sql in [
                "SET search_path = 'pg_catalog'", "SET client_encoding = 'UTF8'", "SET max_parallel_workers_per_gather = 0",
            ] {
                _ = try await session.query(sql)
            }
            return session
        } catch {
            _ = try? await pool.run { connection.finish() }
            try? await pool.shutdown()
            throw error
        }
    }

    /// Closes the connection (`PQfinish`) and stops the session's thread. Later calls throw `dbQuery` [057].
    public func close() async {
        let connection = self.connection
        _ = try? await pool.run { connection.finish() }
        try? await pool.shutdown()
    }

    /// Runs `sql` with text parameters `$1...` and returns all rows as text (NULL as nil).
    ///
    /// - Throws: `dbQuery` [057] naming the SQL, SQLSTATE and server message.
    public func query(_ sql: String, _ parameters: [String?] = []) async throws -> [[String?]] {
        let connection = self.connection
        do {
            return try await pool.run { try connection.execute(sql, parameters) }
        } catch let error as PGVError {
            throw error
        } catch {
            throw PGVError(.dbQuery, "unable to execute query '\(sql)': the database session is closed")
        }
    }

    /// The single non-NULL value of a one-row, one-column query.
    public func value(_ sql: String, _ parameters: [String?] = []) async throws -> String {
        let rows = try await query(sql, parameters)
        guard rows.count == 1, rows[0].count == 1, let value = rows[0][0] else {
            throw PGVError(.dbQuery, "query '\(sql)' returned \(rows.count) rows where one non-null value was expected")
        }
        return value
    }

    /// `current_setting(name)`: `archive_mode`, `archive_command`, `data_directory`, ...
    public func setting(_ name: String) async throws -> String {
        try await value("SELECT current_setting($1)", [name])
    }

    /// The server's `data_directory`.
    public func dataDirectory() async throws -> String { try await setting("data_directory") }

    /// `system_identifier` from `pg_control_system()`.
    public func systemIdentifier() async throws -> UInt64 {
        let text = try await value("SELECT system_identifier::text FROM pg_control_system()")
        return try Self.parse(text, as: "system identifier") { Int64($0).map { UInt64(bitPattern: $0) } }
    }

    /// Starts a non-exclusive backup: `pg_backup_start(label, fast)` on PostgreSQL 15+,
    /// `pg_start_backup(label, fast, false)` before. Returns the start LSN and its WAL segment.
    public func backupStart(label: String, fast: Bool) async throws -> WalPosition {
        let call = serverVersionNum >= 150000 ? "pg_backup_start($1, $2)" : "pg_start_backup($1, $2, false)"
        return try await position("SELECT lsn::text, pg_walfile_name(lsn)::text FROM \(call) AS lsn", [label, fast ? "true" : "false"])
    }

    /// Stops the backup begun on this session without waiting for archiving (pgvault checks the archive itself):
    /// `pg_backup_stop(false)` on 15+, `pg_stop_backup(false, false)` before.
    public func backupStop() async throws -> BackupStopResult {
        let call = serverVersionNum >= 150000 ? "pg_backup_stop(false)" : "pg_stop_backup(false, false)"
        let sql = "SELECT lsn::text, pg_walfile_name(lsn)::text, labelfile::text, spcmapfile::text FROM \(call)"
        let rows = try await query(sql)
        guard rows.count == 1, rows[0].count == 4, let lsnText = rows[0][0], let segment = rows[0][1],
              let label = rows[0][2] else {
            throw PGVError(.dbQuery, "query '\(sql)' returned an unexpected result")
        }
        let map = rows[0][3].flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        return BackupStopResult(
            position: WalPosition(lsn: try Lsn.parse(lsnText, what: "backup stop lsn"), walSegment: segment),
            labelFile: label, tablespaceMapFile: map)
    }

    /// `pg_switch_wal()`: closes the current segment so it can be archived. Returns the switch LSN and the segment
    /// that was closed.
    public func switchWal() async throws -> WalPosition {
        try await position("SELECT lsn::text, pg_walfile_name(lsn)::text FROM pg_switch_wal() AS lsn")
    }

    /// `pg_create_restore_point(name)`: returns its LSN.
    public func createRestorePoint(_ name: String) async throws -> Lsn {
        try Lsn.parse(try await value("SELECT pg_create_restore_point($1)::text", [name]), what: "restore point lsn")
    }

    /// `pg_current_wal_lsn()`: the current write position.
    public func currentWalLsn() async throws -> Lsn {
        try Lsn.parse(try await value("SELECT pg_current_wal_lsn()::text"), what: "current wal lsn")
    }

    /// `pg_walfile_name(lsn)` on the server's current timeline.
    public func walFileName(_ lsn: Lsn) async throws -> String {
        try await value("SELECT pg_walfile_name($1::pg_lsn)::text", [lsn.description])
    }

    /// Every database with its oid, and template0's oid as `lastSystemOid` (pgBackRest's `db-last-system-id`).
    public func databases() async throws -> [PgDatabase] {
        let sql = "SELECT oid::text, datname::text, (SELECT oid::text FROM pg_database WHERE datname = 'template0')"
            + " FROM pg_database ORDER BY datname"
        return try await query(sql).map { row in
            guard row.count == 3, let oid = row[0].flatMap(UInt32.init), let name = row[1],
                  let last = row[2].flatMap(UInt32.init) else {
                throw PGVError(.dbQuery, "query '\(sql)' returned an unexpected row")
            }
            return PgDatabase(oid: oid, name: name, lastSystemOid: last)
        }
    }

    /// Every tablespace with `pg_tablespace_location(oid)`, by oid.
    public func tablespaces() async throws -> [PgTablespace] {
        let sql = "SELECT oid::text, spcname::text, pg_tablespace_location(oid)::text FROM pg_tablespace ORDER BY oid"
        return try await query(sql).map { row in
            guard row.count == 3, let oid = row[0].flatMap(UInt32.init), let name = row[1] else {
                throw PGVError(.dbQuery, "query '\(sql)' returned an unexpected row")
            }
            let location = row[2].flatMap { $0.isEmpty ? nil : $0 }
            return PgTablespace(oid: oid, name: name, location: location)
        }
    }

    /// `pg_try_advisory_lock(12340078987004321)`, held until the session closes.
    ///
    /// - Throws: `lockAcquire` [050] when another session holds it.
    public func advisoryLock() async throws {
        let acquired = try await value("SELECT pg_try_advisory_lock(\(Self.advisoryLockKey))")
        guard acquired == "t" else {
            throw PGVError(.lockAcquire, "unable to acquire pgvault advisory lock",
                           hint: "is another pgvault or pgBackRest backup already running on this cluster?")
        }
    }

    /// The database clock (`clock_timestamp()`) as unix seconds with fraction.
    public func currentTimestamp() async throws -> Double {
        let text = try await value("SELECT extract(epoch from clock_timestamp())::text")
        return try Self.parse(text, as: "timestamp") { Double($0) }
    }

    /// `pg_is_in_recovery()`: true on a standby.
    public func isInRecovery() async throws -> Bool {
        try await value("SELECT pg_is_in_recovery()") == "t"
    }

    /// A trivial round trip, used to keep the session alive during a long copy.
    public func ping() async throws {
        _ = try await query("SELECT 1")
    }

    private func position(_ sql: String, _ parameters: [String?] = []) async throws -> WalPosition {
        let rows = try await query(sql, parameters)
        guard rows.count == 1, rows[0].count == 2, let lsnText = rows[0][0], let segment = rows[0][1] else {
            throw PGVError(.dbQuery, "query '\(sql)' returned an unexpected result")
        }
        return WalPosition(lsn: try Lsn.parse(lsnText), walSegment: segment)
    }

    private static func parse<T>(_ text: String, as what: String, _ convert: (String) -> T?) throws -> T {
        guard let value = convert(text) else { throw PGVError(.dbQuery, "invalid \(what) '\(text)' returned by the server") }
        return value
    }
}
