import VaultRepository

/// stanza-upgrade's decision for one repository (reference §9): each info file whose current cluster differs from
/// pg_control (version or system id) gets a new history entry (id = highest + 1) that becomes current. Sub-passphrases
/// and backups are kept. Pure; the command saves what changed.
public struct StanzaUpgradePlan: Equatable, Sendable {
    /// The new archive.info, when it must change.
    public var archive: ArchiveInfo?
    /// The new backup.info, when it must change.
    public var backup: BackupInfo?

    public var isUpToDate: Bool { archive == nil && backup == nil }

    /// Decides, then checks that the resulting current entries agree (028 otherwise, as pgBackRest checks before
    /// saving either file).
    public static func decide(archive: ArchiveInfo, backup: BackupInfo, cluster: StanzaClusterIdentity) throws -> StanzaUpgradePlan {
        let version = cluster.version
        let systemId = cluster.systemId
        var plan = StanzaUpgradePlan()
        var newArchive = archive
        var newBackup = backup
        if archive.current.version != version || archive.current.systemId != systemId {
            newArchive.addHistory(systemId: systemId, version: version)
            plan.archive = newArchive
        }
        if backup.current.version != version || backup.current.systemId != systemId {
            newBackup.addHistory(systemId: systemId, version: version, controlVersion: cluster.controlVersion,
                                 catalogVersion: cluster.catalogVersion)
            plan.backup = newBackup
        }
        try StanzaInfoMatch.infoFilesAgree(newArchive, newBackup)
        return plan
    }
}
