import Logging
import VaultCore
import VaultPostgres
import VaultRepository

/// Rebuilds lost archive.info and backup.info of one repository from what it still holds (`stanza-create --force`,
/// pgvault's own, issue 5 item 7): every complete backup (a `backup.manifest`, whose prior is also complete) becomes
/// a backup.info entry (`BackupInfo.Entry(manifest:)`); the history comes from the manifests' `[backup:db]`, plus the
/// cluster at pg1-path when it is newer; archive.info gets the same history ids, as pgBackRest requires.
///
/// Only unencrypted repositories can be rebuilt: the sub-passphrases of manifests and WAL live only in the lost info
/// files, so an encrypted repository's content is unreadable without them (103).
struct StanzaRebuild {
    let repository: StanzaRepository
    let control: PgControl
    let logger: Logger

    func run() async throws -> (archive: ArchiveInfo, backup: BackupInfo) {
        guard !repository.isEncrypted else {
            throw PGVError(.repoInvalid, "\(repository.label): cannot rebuild the info files of an encrypted repository",
                           hint: "the manifest and WAL sub-passphrases were stored only in backup.info and archive.info; "
                               + "restore those files (or their .copy) from a copy of the repository")
        }
        let layout = repository.layout
        let labels = try await repository.storage.list(layout.backupPath)
            .filter { $0.type == .path && BackupLabel.isValid($0.name) }.map(\.name).sorted { ByteOrder.precedes($0, $1) }
        var manifests: [Manifest] = []
        for label in labels {
            guard try await repository.storage.exists(layout.manifestPath(label)) else {
                logger.warning("\(repository.label): backup '\(label)' is incomplete (no backup.manifest), not registered")
                continue
            }
            let manifest = try await repository.store.loadOne(Manifest.self, from: layout.manifestPath(label), passphrase: nil)
            if let prior = manifest.backup.prior, !manifests.contains(where: { $0.backup.label == prior }) {
                logger.warning("\(repository.label): backup '\(label)' depends on missing '\(prior)', not registered")
                continue
            }
            manifests.append(manifest)
        }
        let cluster = StanzaClusterIdentity(control: control)
        let plan = StanzaRebuildPlan.history(manifests: manifests.map(\.db), cluster: cluster)
        var backup = BackupInfo(systemId: plan[0].systemId, version: plan[0].version, controlVersion: plan[0].controlVersion,
                                catalogVersion: plan[0].catalogVersion)
        backup.history = plan
        backup.currentId = plan[plan.count - 1].id
        for manifest in manifests {
            backup.add(BackupInfo.Entry(manifest: manifest))
            logger.notice("\(repository.label): registered backup '\(manifest.backup.label)'")
        }
        var archive = ArchiveInfo(systemId: plan[0].systemId, version: plan[0].version)
        archive.history = plan.map { ArchiveInfo.History(id: $0.id, systemId: $0.systemId, version: $0.version) }
        archive.currentId = backup.currentId
        let ids = plan.map { String($0.id) }.joined(separator: ", ")
        logger.notice("\(repository.label): rebuilt archive.info and backup.info with history ids \(ids)")
        return (archive, backup)
    }
}

/// The history a rebuild writes (pure): each distinct `[backup:db]` id of the manifests in id order, then the cluster at
/// pg1-path as a new id when it differs from the newest entry. Without manifests, the cluster alone as id 1.
enum StanzaRebuildPlan {
    static func history(manifests: [PgHistory], cluster: StanzaClusterIdentity) -> [PgHistory] {
        var byId: [UInt32: PgHistory] = [:]
        for db in manifests { byId[db.id] = db }
        var history = byId.values.sorted { $0.id < $1.id }
        if let newest = history.last, newest.version == cluster.version, newest.systemId == cluster.systemId {
            return history
        }
        history.append(PgHistory(id: (history.last?.id ?? 0) + 1, systemId: cluster.systemId, version: cluster.version,
                                 controlVersion: cluster.controlVersion, catalogVersion: cluster.catalogVersion))
        return history
    }
}
