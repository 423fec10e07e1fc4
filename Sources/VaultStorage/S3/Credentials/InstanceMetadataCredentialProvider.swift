import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import VaultCore

/// EC2 instance profile credentials through IMDSv2:
/// 1. `PUT /latest/api/token` with `X-aws-ec2-metadata-token-ttl-seconds` gets a session token;
/// 2. `GET /latest/meta-data/iam/security-credentials/` names the instance's role (skipped when `repoN-s3-role`
///    names it, as in pgBackRest);
/// 3. `GET /latest/meta-data/iam/security-credentials/<role>` returns the JSON of `AwsCredentialDocument`.
/// Each step carries the session token in `X-aws-ec2-metadata-token` and has a short timeout, so that a host
/// without IMDS fails in seconds. The endpoint is `http://169.254.169.254`, `http://[fd00:ec2::254]` with
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`, or `AWS_EC2_METADATA_SERVICE_ENDPOINT`.
///
/// Uncached: the chain wraps it in `RefreshingS3CredentialProvider`.
public struct InstanceMetadataCredentialProvider: S3CredentialProvider {
    public struct Settings: Sendable, Equatable {
        /// Scheme and host, no trailing slash.
        public var endpoint: String
        /// The IAM role name; nil asks IMDS.
        public var roleName: String?

        public init(endpoint: String, roleName: String? = nil) {
            self.endpoint = endpoint
            self.roleName = roleName
        }
    }

    public static let defaultEndpoint = "http://169.254.169.254"
    public static let defaultIPv6Endpoint = "http://[fd00:ec2::254]"
    /// Per request; IMDS answers in milliseconds on an instance.
    public static let timeout = TimeAmount.seconds(2)
    static let credentialsPath = "/latest/meta-data/iam/security-credentials/"

    public let settings: Settings
    private let client: HTTPClient

    public init(settings: Settings, httpClient: HTTPClient) {
        self.settings = settings
        client = httpClient
    }

    /// The settings `environment` configures, nil when `AWS_EC2_METADATA_DISABLED=true`. `role` is
    /// `repoN-s3-role`, used as the role name unless it is an ARN (which belongs to web identity).
    public static func settings(environment: [String: String], role: String?) -> Settings? {
        guard environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() != "true" else { return nil }
        var endpoint = environment.nonEmpty("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            ?? (environment["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"]?.lowercased() == "ipv6"
                ? defaultIPv6Endpoint : defaultEndpoint)
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        let roleName = role.flatMap { $0.isEmpty || $0.hasPrefix("arn:") ? nil : $0 }
        return Settings(endpoint: endpoint, roleName: roleName)
    }

    /// Runs the three IMDSv2 steps and returns fresh credentials (registered with the redactor). Errors: IMDS
    /// unreachable `.hostConnect` (049); a refusal `.protocolError` (039); no role attached or a bad document
    /// `.format` (029).
    public func credentials() async throws -> S3Credentials {
        let token: String
        do {
            token = try await fetch(.PUT, "/latest/api/token", step: "session token",
                                    headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")])
        } catch var error as PGVError where error.code == .hostConnect {
            error.hint = "instance metadata is the last source of s3-key-type=auto: set repoN-s3-key and "
                + "repoN-s3-key-secret, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_ROLE_ARN and "
                + "AWS_WEB_IDENTITY_TOKEN_FILE, or AWS_CONTAINER_CREDENTIALS_FULL_URI when not on EC2"
            throw error
        }
        SecretRedactor.shared.register(token)
        let tokenHeader = [("X-aws-ec2-metadata-token", token)]
        let roleName: String
        if let configured = settings.roleName {
            roleName = configured
        } else {
            let listing = try await fetch(.GET, Self.credentialsPath, step: "role name", headers: tokenHeader)
            guard let first = listing.split(whereSeparator: { $0.isNewline }).first.map(String.init)?.trimmingWhitespace(),
                  !first.isEmpty
            else {
                throw PGVError(.format, "instance metadata at '\(settings.endpoint)' lists no iam role for this instance")
            }
            roleName = first
        }
        let document = try await fetch(.GET, Self.credentialsPath + roleName, step: "credentials of role '\(roleName)'",
                                       headers: tokenHeader)
        let credentials = try AwsCredentialDocument.credentials(from: document, endpoint: "instance metadata")
        credentials.registerSecrets()
        return credentials
    }

    private func fetch(_ method: HTTPMethod, _ path: String, step: String, headers: [(String, String)]) async throws
        -> String
    {
        let exchange = try await CredentialHTTPExchange.perform(
            client, method: method, url: settings.endpoint + path, headers: headers, timeout: Self.timeout,
            endpoint: "instance metadata")
        guard (200..<300).contains(exchange.status) else {
            throw PGVError(.protocolError, "instance metadata at '\(settings.endpoint)' refused the \(step) request "
                + "with \(exchange.status)")
        }
        return exchange.body
    }
}
