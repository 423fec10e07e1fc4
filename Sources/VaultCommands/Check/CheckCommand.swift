import VaultCore
import VaultPostgres
import VaultRepository

/// `check` (reference §9): the cluster at pg1-path is the one the connection reaches (058), archiving is usable
/// (087, 067, 068), every repository's info files load, agree and match the cluster (028), and on a primary a WAL
/// switch reaches every repository within `archive-timeout` (082). On a standby only the info files are checked.
///
/// pgvault accepts an archive_command that calls either `pgvault` or `pgbackrest` (pgBackRest requires the latter).
public struct CheckCommand: VaultCommand {
    public static let name = "check"
    public init() {}

    /// pgBackRest's FeatureNotSupportedError, raised for archive_mode=always.
    /// The restore point name pgBackRest creates so the switched segment is never empty.
    static let restorePointName = "pgBackRest Archive Check"

    public func run(_ context: CommandContext) async throws -> Int32 {
        let target = try ClusterTarget.from(context)
        let control = try await target.readControl()
        let session = try await target.connect(control: control)
        do {
            try await check(session: session, target: target, control: control, context: context)
        } catch {
            await session.close()
            throw error
        }
        await session.close()
        return 0
    }

    private func check(session: DatabaseSession, target: ClusterTarget, control: PgControl,
                       context: CommandContext) async throws {
        try await StanzaCluster.checkDataDirectory(session: session, target: target, control: control)
        let repositories = try StanzaRepository.openAll(context)
        let cluster = StanzaClusterIdentity(control: control)
        if try await session.isInRecovery() {
            for repository in repositories {
                context.logger.notice("check \(repository.label) (standby)")
                try StanzaInfoMatch.matchCluster(try await repository.loadArchiveInfo(),
                                                 try await repository.loadBackupInfo(), cluster: cluster)
            }
            context.logger.notice("switch wal not performed because this is a standby")
            return
        }
        if context.config.bool("archive-check") {
            try Self.checkArchiveSettings(mode: try await session.setting("archive_mode"),
                                          command: try await session.setting("archive_command"),
                                          modeCheck: context.config.bool("archive-mode-check"))
        }
        var archiveIds: [String] = []
        for repository in repositories {
            context.logger.notice("check \(repository.label) configuration (primary)")
            let archive = try await repository.loadArchiveInfo()
            try StanzaInfoMatch.matchCluster(archive, try await repository.loadBackupInfo(), cluster: cluster)
            archiveIds.append(archive.currentArchiveId)
        }
        _ = try await session.createRestorePoint(Self.restorePointName)
        let segment = try await session.switchWal().walSegment
        let timeout = context.config.time("archive-timeout") ?? 60
        for (repository, archiveId) in zip(repositories, archiveIds) {
            context.logger.notice("check \(repository.label) archive for WAL (primary)")
            let found = try await ArchiveWait.find(segment: segment, in: repository, archiveId: archiveId, timeout: timeout)
            let path = context.config.repo(repository.index).path + "/" + found
            context.logger.notice("WAL segment \(segment) successfully archived to '\(path)' on \(repository.label)")
        }
    }

    /// archive_mode must not be off (087) nor, with archive-mode-check, always (067); archive_command must call
    /// pgvault or pgbackrest (068).
    static func checkArchiveSettings(mode: String, command: String?, modeCheck: Bool) throws {
        if mode == "off" { throw PGVError(.archiveDisabled, "archive_mode must be enabled") }
        if modeCheck && mode == "always" { throw PGVError(.featureNotSupported, "archive_mode=always not supported") }
        guard let command, command.contains("pgvault") || command.contains("pgbackrest") else {
            throw PGVError(.archiveCommandInvalid, "archive_command '\(command ?? "[null]")' must contain pgvault or pgbackrest")
        }
    }
}
