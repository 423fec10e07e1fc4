/// Long-lived (or caller-managed session) keys given as `repoN-s3-key`, `repoN-s3-key-secret` and `repoN-s3-token`,
/// from pgbackrest.conf, the command line or `PGBACKREST_REPOn_S3_KEY…`. Hands out the same set for every request.
public struct ExplicitKeyCredentialProvider: S3CredentialProvider {
    public let fixed: S3Credentials

    /// Registers the key, secret and token with `SecretRedactor.shared`.
    public init(key: String, secret: String, token: String?) {
        fixed = S3Credentials(accessKeyId: key, secretAccessKey: secret,
                              sessionToken: token.flatMap { $0.isEmpty ? nil : $0 })
        fixed.registerSecrets()
    }

    public func credentials() async throws -> S3Credentials { fixed }
}
