import VaultCore
import VaultRepository

/// The consistency checks shared by stanza-create, stanza-upgrade and check (pgBackRest's `checkStanzaInfo` and
/// `checkStanzaInfoPg`): archive.info and backup.info describe the same current cluster, and that cluster is the
/// one at pg1-path. Both failures are FileInvalidError (028).
public enum StanzaInfoMatch {
    /// archive.info's and backup.info's current entries must agree on id, version and system id.
    public static func infoFilesAgree(_ archive: ArchiveInfo, _ backup: BackupInfo) throws {
        let a = archive.current
        let b = backup.current
        guard a.id != b.id || a.version != b.version || a.systemId != b.systemId else { return }
        throw PGVError(.fileInvalid, "backup info file and archive info file do not match: archive: id = \(a.id), "
                           + "version = \(a.version), system-id = \(a.systemId); backup: id = \(b.id), "
                           + "version = \(b.version), system-id = \(b.systemId)",
                       hint: "this may be a symptom of repository corruption!")
    }

    /// Both files agree and their current cluster is `cluster`.
    public static func matchCluster(_ archive: ArchiveInfo, _ backup: BackupInfo, cluster: StanzaClusterIdentity) throws {
        try infoFilesAgree(archive, backup)
        guard archive.current.version == cluster.version, archive.current.systemId == cluster.systemId else {
            throw PGVError(.fileInvalid, "backup and archive info files exist but do not match the database",
                           hint: "is this the correct stanza? did an error occur during stanza-upgrade? "
                               + "(cluster: version \(cluster.version), system-id \(cluster.systemId); "
                               + "repository: version \(archive.current.version), system-id \(archive.current.systemId))")
        }
    }
}
