import Foundation
import VaultCore

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

extension S3Credentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Names no key: `S3Credentials(temporary, expires 2026-11-26T12:03:13Z)`. The access key id is redacted too,
    /// as pgBackRest treats `repo-s3-key` as a secure option.
    public var description: String {
        guard let expiration else { return "S3Credentials(long-lived, \(SecretRedactor.placeholder))" }
        return "S3Credentials(temporary, expires \(expiration.formatted(.iso8601)), \(SecretRedactor.placeholder))"
    }

    public var debugDescription: String { description }

    /// `dump()` and reflection-based printers see only redacted fields.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "accessKeyId": SecretRedactor.placeholder,
            "secretAccessKey": SecretRedactor.placeholder,
            "sessionToken": sessionToken == nil ? "nil" : SecretRedactor.placeholder,
            "expiration": expiration.map { $0.formatted(.iso8601) } ?? "nil",
        ])
    }

    /// Registers the key id, secret and token with `SecretRedactor.shared`, so that the log handler and the error
    /// printer scrub them should they ever reach a message. Providers call this for every set they hand out.
    public func registerSecrets(with redactor: SecretRedactor = .shared) {
        redactor.register(accessKeyId)
        redactor.register(secretAccessKey)
        if let sessionToken { redactor.register(sessionToken) }
    }
}
