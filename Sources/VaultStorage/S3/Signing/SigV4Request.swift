/// The parts of one HTTP request that Signature Version 4 covers, before signing.
public struct SigV4Request: Sendable {
    public var method: String
    /// The request path exactly as sent: already percent-encoded (`S3URIEncoding`, keeping `/`), starting with `/`.
    public var encodedPath: String
    /// Query parameters, not encoded; a parameter without a value (`?uploads`) has the empty string.
    public var query: [(name: String, value: String)]
    /// Headers to sign, any case; `host` must be among them. Repeated names are joined with `,` in the given order.
    public var headers: [(name: String, value: String)]
    /// Lower-case hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`.
    public var payloadHash: String

    public init(method: String, encodedPath: String, query: [(name: String, value: String)] = [],
                headers: [(name: String, value: String)], payloadHash: String) {
        self.method = method
        self.encodedPath = encodedPath
        self.query = query
        self.headers = headers
        self.payloadHash = payloadHash
    }

    /// The query string as sent on the wire: the canonical form, so what is signed is what is sent.
    public var encodedQuery: String { SigV4Signer.canonicalQuery(query) }
}
