import VaultConfig
import VaultCore
import VaultStorage

/// Which credentials an S3 repository signs with, from its `repoN-s3-*` options and the environment, through the AWS
/// chain (`S3CredentialChain`): explicit `repoN-s3-key` / `-key-secret` (`-token`) first; `repoN-s3-key-type=auto`
/// then tries the `AWS_*` variables, IRSA web identity (STS `AssumeRoleWithWebIdentity`), ECS/EKS container
/// credentials and EC2 IMDSv2; `web-id` uses web identity only; and a config naming no key and no key type still
/// takes `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` from the environment. Temporary credentials refresh before
/// they expire. Secrets are never put in messages.
public enum S3CredentialSelection {
    public static func provider(for repo: RepoOptions, environment: [String: String]) throws -> any S3CredentialProvider {
        try S3CredentialChain.provider(
            keyType: repo.s3KeyType ?? "shared", key: repo.s3Key, secret: repo.s3KeySecret, token: repo.s3Token,
            role: repo.s3Role, environment: environment, region: repo.s3Region ?? "us-east-1", repoIndex: repo.index)
    }
}
