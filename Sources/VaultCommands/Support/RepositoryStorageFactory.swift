import Foundation
import VaultConfig
import VaultCore
import VaultStorage

/// Opens the storage of one configured repository from its `repoN-*` options. Drivers are chosen here only, so a
/// new driver touches this file and its own folder.
public enum RepositoryStorageFactory {
    /// `posix`/`cifs`: a directory; `s3`: a bucket prefix (no request is sent until the first operation).
    /// `environment` supplies the AWS_* fallback credentials of S3 repositories.
    public static func storage(for repo: RepoOptions,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any Storage {
        switch repo.type {
        case "posix", "cifs":
            return try PosixStorage(root: repo.path)
        case "s3":
            return try S3Storage(configuration: try S3ConfigurationFromOptions.configuration(for: repo),
                                 credentials: try S3CredentialSelection.provider(for: repo, environment: environment))
        default:
            throw PGVError(.notImplemented, "repository type '\(repo.type)' of repo\(repo.index) is not implemented yet",
                           hint: "pgvault \(PGVaultVersion.current) supports repo\(repo.index)-type=posix and s3")
        }
    }
}
