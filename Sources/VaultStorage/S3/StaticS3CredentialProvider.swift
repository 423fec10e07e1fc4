/// Long-lived keys given once (`repoN-s3-key`/`-key-secret`/`-token`, or the AWS environment variables): the same
/// credentials for every request.
public struct StaticS3CredentialProvider: S3CredentialProvider {
    private let value: S3Credentials

    public init(_ credentials: S3Credentials) {
        value = credentials
    }

    public func credentials() async throws -> S3Credentials { value }
}
