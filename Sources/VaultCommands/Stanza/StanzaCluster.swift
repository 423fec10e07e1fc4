import VaultCore
import VaultPostgres

/// The cluster identity stanza-create and stanza-upgrade record (pgBackRest's `pgValidate`): pg1-path's
/// `pg_control`, and, with `--online` (the default), a libpq session that must reach that same cluster: same
/// version and system identifier (058, `ClusterTarget.connect`) and `data_directory` equal to pg1-path (058).
enum StanzaCluster {
    static func control(_ context: CommandContext) async throws -> PgControl {
        let target = try ClusterTarget.from(context)
        let control = try await target.readControl()
        guard context.config.bool("online") else { return control }
        let session = try await target.connect(control: control)
        do {
            try await checkDataDirectory(session: session, target: target, control: control)
        } catch {
            await session.close()
            throw error
        }
        await session.close()
        return control
    }

    /// `SHOW data_directory` must equal pg1-path (trailing slashes ignored), or `.dbMismatch` (058).
    static func checkDataDirectory(session: DatabaseSession, target: ClusterTarget, control: PgControl) async throws {
        let served = try await session.dataDirectory()
        guard trimmed(served) != trimmed(target.dataPath) else { return }
        throw PGVError(.dbMismatch, "version '\(session.serverVersionNum / 10000)' and path '\(served)' queried from cluster "
                           + "do not match version '\(control.version.name)' and '\(target.dataPath)' read from "
                           + "'\(target.dataPath)/\(PgControl.path)'",
                       hint: "the pg1-path and pg1-port settings likely reference different clusters")
    }

    private static func trimmed(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
