import VaultCore

/// Checks that the server pgvault is connected to is the cluster at pg1-path: same major version and same system
/// identifier as its `global/pg_control`.
public enum PgClusterCheck {
    /// Compares the server's facts with `control`.
    ///
    /// - Throws: `dbMismatch` [058] naming both versions and system identifiers when either differs.
    public static func compare(serverVersionNum: Int, systemIdentifier: UInt64, control: PgControl, pgPath: String? = nil) throws {
        let serverMajor = serverVersionNum / 10000
        guard serverMajor != control.version.major || systemIdentifier != control.systemIdentifier else { return }
        let file = pgPath.map { "'\($0)/\(PgControl.path)'" } ?? "pg_control"
        throw PGVError(
            .dbMismatch,
            "version '\(serverMajor)' and system-id '\(systemIdentifier)' queried from cluster do not match version "
                + "'\(control.version.major)' and system-id '\(control.systemIdentifier)' read from \(file)",
            hint: "the pg1-path and pg1-port settings likely reference different clusters")
    }

    /// Queries `session` for its version and `pg_control_system()` identifier and compares them with `control`.
    public static func validate(session: DatabaseSession, control: PgControl, pgPath: String? = nil) async throws {
        let systemIdentifier = try await session.systemIdentifier()
        try compare(serverVersionNum: session.serverVersionNum, systemIdentifier: systemIdentifier,
                    control: control, pgPath: pgPath)
    }
}
