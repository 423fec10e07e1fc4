import Foundation

/// One set of AWS credentials as SigV4 signs with them. Temporary credentials (STS, container, IMDS) carry a
/// session token and an expiry; long-lived keys have neither.
public struct S3Credentials: Sendable, Equatable {
    public var accessKeyId: String
    public var secretAccessKey: String
    /// Sent as `x-amz-security-token` when present.
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-lived keys.
    public var expiration: Date?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }
}

/// Hands out credentials for each request. Providers of temporary credentials refresh them before they expire, so a
/// caller asks again for every request (cheap: a cached value unless a refresh is due).
public protocol S3CredentialProvider: Sendable {
    func credentials() async throws -> S3Credentials
}
