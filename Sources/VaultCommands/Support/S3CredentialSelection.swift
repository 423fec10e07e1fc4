import VaultConfig
import VaultCore
import VaultStorage

/// Which credentials an S3 repository signs with: explicit `repoN-s3-key` / `-key-secret` (and `-token`) when
/// configured, otherwise `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN` from the environment.
/// The one place the choice is made, so the full AWS chain (web identity, container, IMDS) can replace the
/// fallback. Secrets are never put in messages.
public enum S3CredentialSelection {
    public static func provider(for repo: RepoOptions, environment: [String: String]) throws -> any S3CredentialProvider {
        if let key = repo.s3Key, let secret = repo.s3KeySecret {
            return StaticS3CredentialProvider(S3Credentials(accessKeyId: key, secretAccessKey: secret,
                                                            sessionToken: repo.s3Token))
        }
        if repo.s3Key != nil || repo.s3KeySecret != nil {
            throw PGVError(.optionRequired, "repo\(repo.index)-s3-key and repo\(repo.index)-s3-key-secret must be set together")
        }
        if let key = environment["AWS_ACCESS_KEY_ID"], !key.isEmpty,
           let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty {
            let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return StaticS3CredentialProvider(S3Credentials(accessKeyId: key, secretAccessKey: secret,
                                                            sessionToken: token))
        }
        throw PGVError(.optionRequired, "no s3 credentials for repo\(repo.index)",
                       hint: "set repo\(repo.index)-s3-key and repo\(repo.index)-s3-key-secret, or AWS_ACCESS_KEY_ID "
                           + "and AWS_SECRET_ACCESS_KEY in the environment")
    }
}
