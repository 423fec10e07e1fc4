import Logging
import VaultCore
import VaultRepository
import VaultStorage

/// Brings backup.info in line with the set directories before a backup (reference §5 step 1): an entry whose
/// `backup.manifest` is gone is dropped with its dependents; a complete set missing from backup.info is added when
/// its cluster matches a history entry and its prior is registered.
public enum BackupInfoReconstruction {
    /// Returns the reconstructed info and the warnings to log.
    public static func reconstruct(_ info: BackupInfo, storage: any Storage, layout: RepositoryLayout,
                                   store: InfoFileStore) async throws -> (BackupInfo, [String]) {
        var info = info
        var warnings: [String] = []
        for entry in info.backups where try await !storage.exists(layout.manifestPath(entry.label)) {
            guard info.backup(entry.label) != nil else { continue }
            for dependent in info.backups where dependent.references?.contains(entry.label) == true {
                info.remove(dependent.label)
                warnings.append("backup '\(dependent.label)' depends on missing backup '\(entry.label)', removed from backup.info")
            }
            info.remove(entry.label)
            warnings.append("backup '\(entry.label)' missing manifest removed from backup.info")
        }
        let directories = try await storage.list(layout.backupPath)
            .filter { $0.type == .path && BackupLabel.isValid($0.name) && info.backup($0.name) == nil }
            .map(\.name).sorted { ByteOrder.precedes($0, $1) }
        for label in directories where try await storage.exists(layout.manifestPath(label)) {
            guard let manifest = try? await store.load(Manifest.self, from: layout.manifestPath(label),
                                                       passphrase: info.cipherPass).value,
                  let history = info.history(id: manifest.db.id), history.systemId == manifest.db.systemId,
                  history.version == manifest.db.version,
                  manifest.backup.prior.map({ info.backup($0) != nil }) ?? true else { continue }
            info.add(BackupInfo.Entry(manifest: manifest))
            warnings.append("backup '\(label)' found in repository added to backup.info")
        }
        return (info, warnings)
    }
}
