import VaultCore
import VaultIO
import VaultRepository
import VaultStorage

/// Resume of an interrupted backup (reference §5 step 8). Only the newest set directory is considered; it must have
/// `backup.manifest.copy` and no `backup.manifest`, and match the new backup's type, prior, compression and writer
/// version. Its files whose size and timestamp still match the cluster are offered to the copy jobs, which keep
/// them when the stored bytes hash to the recorded `rck` (or `checksum`); every other file is removed first. An
/// unusable directory is removed whole.
public enum BackupResume {
    /// Why a found manifest cannot be resumed, nil when it can (pure).
    public static func incompatibility(of resumed: Manifest, type: BackupType, prior: String?,
                                       compressType: CompressionType) -> String? {
        if let version = resumed.writerVersion, version != RepositoryFormat.backrestVersion {
            return "new pgBackRest version '\(RepositoryFormat.backrestVersion)' does not match resumable pgBackRest version '\(version)'"
        }
        if resumed.backup.type != type {
            return "new backup type '\(type.rawValue)' does not match resumable backup type '\(resumed.backup.type.rawValue)'"
        }
        if resumed.backup.prior != prior {
            return "new prior backup label '\(prior ?? "<undef>")' does not match resumable prior backup label '\(resumed.backup.prior ?? "<undef>")'"
        }
        if resumed.options.compressType != compressType {
            return "new compression '\(compressType.rawValue)' does not match resumable compression '\(resumed.options.compressType.rawValue)'"
        }
        return nil
    }

    /// The entries of `resumed` worth verifying, by name (pure): copied in the earlier attempt (it recorded a
    /// checksum), not referenced, and with the same size and (unless `delta`) timestamp as the file now.
    public static func candidates(resumed: Manifest, current: Manifest, delta: Bool) -> [String: ManifestFile] {
        var result: [String: ManifestFile] = [:]
        for file in current.files where file.reference == nil {
            guard let old = resumed.file(named: file.name), old.reference == nil, old.size == file.size,
                  delta || old.timestamp == file.timestamp else { continue }
            let copied = old.size == 0 || old.checksum != RepositoryFormat.emptySHA1
            if copied { result[file.name] = old }
        }
        return result
    }

    /// The newest set directory when it is an unfinished backup (has the manifest copy, not the manifest).
    public static func findUnfinished(storage: any Storage, layout: RepositoryLayout) async throws -> String? {
        let labels = try await storage.list(layout.backupPath)
            .filter { $0.type == .path && BackupLabel.isValid($0.name) }.map(\.name)
        guard let newest = labels.max(by: { ByteOrder.precedes($0, $1) }) else { return nil }
        guard try await storage.exists(layout.manifestCopyPath(newest)),
              try await !storage.exists(layout.manifestPath(newest)) else { return nil }
        return newest
    }

    /// Removes every stored file of the set except the manifest copy and the files in `keep` (repository paths).
    public static func clean(storage: any Storage, setPath: String, keep: Set<String>) async throws {
        for entry in try await storage.listRecursive(setPath) where entry.type != .path {
            let path = setPath + "/" + entry.name
            if entry.name == "backup.manifest.copy" || keep.contains(path) { continue }
            try await storage.remove(path, errorOnMissing: false)
        }
    }
}
