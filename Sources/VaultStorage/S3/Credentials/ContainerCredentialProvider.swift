import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import VaultCore

/// ECS task roles and EKS Pod Identity: a GET of the container credential endpoint, answered with the JSON of
/// `AwsCredentialDocument`. The endpoint is `http://169.254.170.2` + `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
/// (ECS), or `AWS_CONTAINER_CREDENTIALS_FULL_URI` (EKS Pod Identity, local agents); the `Authorization` header comes
/// from `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (re-read on every fetch, it rotates) or
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
///
/// Uncached: the chain wraps it in `RefreshingS3CredentialProvider`.
public struct ContainerCredentialProvider: S3CredentialProvider {
    /// Where the `Authorization` header value comes from. Its description never shows a token.
    public enum Authorization: Sendable, Equatable, CustomStringConvertible {
        case tokenFile(String)
        case token(String)

        public var description: String {
            switch self {
            case let .tokenFile(path): "token file '\(path)'"
            case .token: "token \(SecretRedactor.placeholder)"
            }
        }
    }

    public struct Settings: Sendable, Equatable {
        public var url: String
        public var authorization: Authorization?

        public init(url: String, authorization: Authorization? = nil) {
            self.url = url
            self.authorization = authorization
        }
    }

    /// The ECS agent's link-local address for relative URIs.
    public static let ecsHost = "http://169.254.170.2"
    /// Plain-HTTP hosts a full URI may name: loopback, and the ECS and EKS Pod Identity agents. Anything else must
    /// be https, as in the AWS SDKs, so that a token is never sent in clear over a network.
    static let plainHTTPHosts: Set<String> = ["127.0.0.1", "localhost", "[::1]", "169.254.170.2", "169.254.170.23",
                                              "[fd00:ec2::23]"]
    public static let timeout = TimeAmount.seconds(5)

    public let settings: Settings
    private let client: HTTPClient

    public init(settings: Settings, httpClient: HTTPClient) {
        self.settings = settings
        client = httpClient
    }

    /// The settings `environment` configures, nil when neither URI variable is set. A full URI over plain http to a
    /// host other than loopback or the container agents is `.optionInvalidValue` (032).
    public static func settings(environment: [String: String]) throws -> Settings? {
        let url: String
        if let relative = environment.nonEmpty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            url = ecsHost + (relative.hasPrefix("/") ? relative : "/" + relative)
        } else if let full = environment.nonEmpty("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            guard isAllowed(fullURI: full) else {
                throw PGVError(.optionInvalidValue, "environment variable AWS_CONTAINER_CREDENTIALS_FULL_URI '\(full)' "
                    + "must use https or a loopback or container agent host")
            }
            url = full
        } else {
            return nil
        }
        let authorization: Authorization? =
            if let file = environment.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") { .tokenFile(file) }
            else if let token = environment.nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN") { .token(token) }
            else { nil }
        return Settings(url: url, authorization: authorization)
    }

    static func isAllowed(fullURI: String) -> Bool {
        let lower = fullURI.lowercased()
        if lower.hasPrefix("https://") { return true }
        guard lower.hasPrefix("http://") else { return false }
        let authority = lower.dropFirst("http://".count).prefix { $0 != "/" && $0 != "?" }
        let host =
            if authority.hasPrefix("[") { String(authority.prefix { $0 != "]" }) + "]" }
            else { String(authority.prefix { $0 != ":" }) }
        return plainHTTPHosts.contains(host) || host.hasPrefix("127.")
    }

    /// GETs the endpoint with the authorization token and returns fresh credentials (registered with the
    /// redactor). Errors: token file `.fileOpen`/`.fileRead`; endpoint unreachable `.hostConnect` (049); a non-2xx
    /// answer `.protocolError` (039); a bad document `.format` (029).
    public func credentials() async throws -> S3Credentials {
        var headers: [(String, String)] = [("Accept", "application/json")]
        switch settings.authorization {
        case let .tokenFile(path)?:
            headers.append(("Authorization", try await Self.headerSafe(
                TokenFileReader.read(path, what: "container authorization token file"))))
        case let .token(token)?:
            headers.append(("Authorization", try Self.headerSafe(token)))
        case nil:
            break
        }
        let exchange = try await CredentialHTTPExchange.perform(
            client, method: .GET, url: settings.url, headers: headers, timeout: Self.timeout,
            endpoint: "the container credential endpoint")
        guard (200..<300).contains(exchange.status) else {
            throw PGVError(.protocolError, "container credential endpoint '\(settings.url)' answered \(exchange.status)")
        }
        let credentials = try AwsCredentialDocument.credentials(from: exchange.body,
                                                                endpoint: "the container credential endpoint")
        credentials.registerSecrets()
        return credentials
    }

    /// The token as a header value, registered with the redactor; CR or LF in it is `.optionInvalidValue` (032).
    private static func headerSafe(_ token: String) throws -> String {
        guard !token.contains("\r"), !token.contains("\n") else {
            throw PGVError(.optionInvalidValue, "container authorization token contains a line break")
        }
        SecretRedactor.shared.register(token)
        return token
    }
}
