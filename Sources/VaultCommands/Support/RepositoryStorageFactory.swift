import VaultConfig
import VaultCore
import VaultStorage

/// Opens the storage of one configured repository from its `repoN-*` options. Drivers are chosen here only, so a
/// new driver touches this file and its own folder.
public enum RepositoryStorageFactory {
    public static func storage(for repo: RepoOptions) throws -> any Storage {
        switch repo.type {
        case "posix", "cifs":
            return try PosixStorage(root: repo.path)
        default:
            throw PGVError(.notImplemented, "repository type '\(repo.type)' of repo\(repo.index) is not implemented yet",
                           hint: "pgvault \(PGVaultVersion.current) supports repo\(repo.index)-type=posix")
        }
    }
}
