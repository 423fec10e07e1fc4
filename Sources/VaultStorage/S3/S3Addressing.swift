import VaultCore

/// Where the requests of one bucket go: scheme, host, port and path for a key, from the endpoint, the URI style and
/// the storage host/port. Pure, so the URL forms are unit-tested without a server.
public struct S3Addressing: Sendable, Equatable {
    public let secure: Bool
    /// The host the URL and the Host header name (`bucket.endpoint` in host style).
    public let virtualHost: String
    public let port: Int
    /// The host to connect to when it differs from `virtualHost` (`repoN-storage-host`), nil otherwise.
    public let connectHost: String?
    /// `/bucket` in path style, empty in host style.
    public let bucketPath: String

    public init(_ configuration: S3Configuration) throws {
        var endpoint = configuration.endpoint ?? "s3.\(configuration.region).amazonaws.com"
        var secure = true
        if endpoint.hasPrefix("https://") {
            endpoint.removeFirst("https://".count)
        } else if endpoint.hasPrefix("http://") {
            endpoint.removeFirst("http://".count)
            secure = false
        }
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        var host = endpoint
        var endpointPort: Int?
        if let colon = endpoint.lastIndex(of: ":"), !endpoint.hasSuffix("]") {
            guard let parsed = Int(endpoint[endpoint.index(after: colon)...]), (1...65535).contains(parsed) else {
                throw PGVError(.optionInvalidValue, "s3 endpoint '\(configuration.endpoint ?? endpoint)' has an invalid port")
            }
            host = String(endpoint[..<colon])
            endpointPort = parsed
        }
        guard !host.isEmpty else {
            throw PGVError(.optionInvalidValue, "s3 endpoint '\(configuration.endpoint ?? "")' has no host")
        }
        self.secure = secure
        port = configuration.storagePort ?? endpointPort ?? (secure ? 443 : 80)
        switch configuration.uriStyle {
        case .host:
            virtualHost = configuration.bucket + "." + host
            bucketPath = ""
        case .path:
            virtualHost = host
            bucketPath = "/" + S3URIEncoding.encode(configuration.bucket, keepSlash: false)
        }
        let virtualHost = self.virtualHost
        connectHost = configuration.storageHost.flatMap { $0 == virtualHost ? nil : $0 }
    }

    /// `host` or `host:port` when the port is not the scheme's default: the Host header, signed.
    public var hostHeader: String {
        port == (secure ? 443 : 80) ? virtualHost : "\(virtualHost):\(port)"
    }

    /// The encoded request path of `key` (`/bucket/a/b` or `/a/b`); the bucket itself for nil.
    public func encodedPath(key: String?) -> String {
        guard let key else { return bucketPath + "/" }
        return bucketPath + "/" + S3URIEncoding.encode(key, keepSlash: true)
    }

    /// The full URL of a request.
    public func url(encodedPath: String, encodedQuery: String) -> String {
        let scheme = secure ? "https" : "http"
        let query = encodedQuery.isEmpty ? "" : "?" + encodedQuery
        return "\(scheme)://\(hostHeader)\(encodedPath)\(query)"
    }
}
