import VaultCore

/// `stanza-upgrade` (reference §9): after a major-version upgrade or a new system id, appends a history entry to
/// archive.info and backup.info of every repository (`StanzaUpgradePlan`); otherwise logs that the stanza is
/// already up to date. Refuses when stopped (062); holds both stanza locks.
public struct StanzaUpgradeCommand: VaultCommand {
    public static let name = "stanza-upgrade"
    public init() {}

    public func run(_ context: CommandContext) async throws -> Int32 {
        guard let stanza = context.stanza else { throw PGVError(.optionRequired, "stanza-upgrade command requires option: stanza") }
        try await StopFileCheck.verify(context)
        let locks = try await StanzaLocks.acquire(context, stanza: stanza)
        defer { locks.release() }
        let cluster = StanzaClusterIdentity(control: try await StanzaCluster.control(context))
        for repository in try StanzaRepository.openAll(context) {
            context.logger.notice("stanza-upgrade for stanza '\(stanza)' on \(repository.label)")
            let plan = try StanzaUpgradePlan.decide(archive: try await repository.loadArchiveInfo(),
                                                    backup: try await repository.loadBackupInfo(), cluster: cluster)
            if let archive = plan.archive { try await repository.save(archive) }
            if let backup = plan.backup { try await repository.save(backup) }
            if plan.isUpToDate {
                context.logger.notice("stanza '\(stanza)' on \(repository.label) is already up to date")
            }
        }
        return 0
    }
}
