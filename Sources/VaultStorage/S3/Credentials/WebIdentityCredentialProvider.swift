import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import VaultCore

/// IRSA / web identity: exchanges the service-account JWT in `AWS_WEB_IDENTITY_TOKEN_FILE` for temporary
/// credentials of `AWS_ROLE_ARN` through STS `AssumeRoleWithWebIdentity`. The call is unsigned (the JWT is the
/// proof): a form-encoded `POST /` with `Action`, `Version=2011-06-15`, `RoleArn`, `RoleSessionName`,
/// `WebIdentityToken` and optionally `DurationSeconds`, answered with XML. POST keeps the token out of URLs.
///
/// Every `credentials()` call asks STS again and re-reads the token file (Kubernetes rotates it); the chain wraps
/// this provider in `RefreshingS3CredentialProvider`, which caches between refreshes.
public struct WebIdentityCredentialProvider: S3CredentialProvider {
    public struct Settings: Sendable, Equatable {
        public var roleArn: String
        public var tokenFile: String
        /// `AWS_ROLE_SESSION_NAME`; nil sends `pgvault-<unix seconds>`.
        public var sessionName: String?
        /// Scheme and host of STS, from `StsEndpoint`.
        public var stsEndpoint: String
        /// Requested lifetime in seconds; nil leaves STS's default (one hour).
        public var durationSeconds: Int?

        public init(roleArn: String, tokenFile: String, sessionName: String? = nil, stsEndpoint: String,
                    durationSeconds: Int? = nil) {
            self.roleArn = roleArn
            self.tokenFile = tokenFile
            self.sessionName = sessionName
            self.stsEndpoint = stsEndpoint
            self.durationSeconds = durationSeconds
        }
    }

    /// The whole STS exchange, connect included.
    public static let timeout = TimeAmount.seconds(15)

    public let settings: Settings
    private let client: HTTPClient

    public init(settings: Settings, httpClient: HTTPClient) {
        self.settings = settings
        client = httpClient
    }

    /// The settings `environment` configures, nil unless both a token file and a role ARN are known. The role ARN
    /// is `role` (`repoN-s3-role`) when that is an ARN, else `AWS_ROLE_ARN`.
    public static func settings(environment: [String: String], role: String?, region: String) -> Settings? {
        let roleArn = role.flatMap { $0.hasPrefix("arn:") ? $0 : nil } ?? environment.nonEmpty("AWS_ROLE_ARN")
        guard let roleArn, let tokenFile = environment.nonEmpty("AWS_WEB_IDENTITY_TOKEN_FILE") else { return nil }
        return Settings(roleArn: roleArn, tokenFile: tokenFile, sessionName: environment.nonEmpty("AWS_ROLE_SESSION_NAME"),
                        stsEndpoint: StsEndpoint.url(environment: environment, region: region))
    }

    /// Reads the token file, calls STS and returns fresh temporary credentials (registered with the redactor).
    /// Errors: token file `.fileOpen`/`.fileRead`; STS unreachable `.hostConnect` (049); STS refusal
    /// `.protocolError` (039) with STS's code and message; a malformed answer `.format` (029).
    public func credentials() async throws -> S3Credentials {
        let token = try await TokenFileReader.read(settings.tokenFile, what: "web identity token file")
        SecretRedactor.shared.register(token)
        let sessionName = settings.sessionName ?? "pgvault-\(Int(Date().timeIntervalSince1970))"
        var form = [
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", settings.roleArn),
            ("RoleSessionName", sessionName), ("WebIdentityToken", token),
        ]
        if let duration = settings.durationSeconds { form.append(("DurationSeconds", String(duration))) }
        let body = form.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
        let exchange = try await CredentialHTTPExchange.perform(
            client, method: .POST, url: settings.stsEndpoint + "/",
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("Accept", "text/xml")],
            body: Array(body.utf8), timeout: Self.timeout, endpoint: "sts")
        guard (200..<300).contains(exchange.status) else {
            let reason = StsResponseParser.errorSummary(from: exchange.body) ?? "no error document"
            throw PGVError(.protocolError, "sts AssumeRoleWithWebIdentity for role '\(settings.roleArn)' failed "
                + "with \(exchange.status): \(reason)")
        }
        let credentials = try StsResponseParser.credentials(from: exchange.body)
        credentials.registerSecrets()
        return credentials
    }

    /// `application/x-www-form-urlencoded` value: unreserved characters kept, everything else `%XX` (UTF-8).
    static func formEncode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return result
    }
}
