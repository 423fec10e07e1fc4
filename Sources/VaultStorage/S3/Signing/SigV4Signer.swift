import VaultIO

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`) for one region and service, as a pure function of the request, the
/// credentials and the time. HMAC-SHA256 and SHA-256 come from libcrypto through VaultIO's `HMAC` and `Digest`.
///
/// Canonical request: method, encoded path, sorted encoded query, lower-cased sorted headers with trimmed values,
/// the signed header list and the payload hash, joined by newlines. String to sign: the algorithm, `x-amz-date`,
/// the scope `date/region/service/aws4_request` and the hex SHA-256 of the canonical request. The key is
/// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
public struct SigV4Signer: Sendable {
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// The payload hash of a body that is not signed (allowed only over TLS, see `S3PayloadHash`).
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    public let region: String
    public let service: String

    public init(region: String, service: String = "s3") {
        self.region = region
        self.service = service
    }

    /// The headers to add to the request: `x-amz-date`, `x-amz-security-token` for temporary credentials, and
    /// `authorization`. The date and token are signed too.
    public func sign(_ request: SigV4Request, credentials: S3Credentials, at time: SigV4Timestamp)
        -> [(name: String, value: String)]
    {
        var added: [(name: String, value: String)] = [("x-amz-date", time.amzDate)]
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }
        var signed = request
        signed.headers += added
        let authorization = authorization(signed, credentials: credentials, at: time)
        return added + [("authorization", authorization)]
    }

    /// The `Authorization` header value for a request whose headers already include `x-amz-date` (and the token).
    public func authorization(_ request: SigV4Request, credentials: S3Credentials, at time: SigV4Timestamp) -> String {
        let canonical = canonicalRequest(request)
        let toSign = stringToSign(canonicalRequest: canonical, at: time)
        let key = signingKey(secret: credentials.secretAccessKey, scopeDate: time.scopeDate)
        let signature = Digest.hex(HMAC.sha256(key: key, message: toSign))
        return "\(Self.algorithm) Credential=\(credentials.accessKeyId)/\(scope(time.scopeDate)), "
            + "SignedHeaders=\(Self.canonicalHeaders(request.headers).signed), Signature=\(signature)"
    }

    /// `date/region/service/aws4_request`.
    public func scope(_ scopeDate: String) -> String { "\(scopeDate)/\(region)/\(service)/aws4_request" }

    public func canonicalRequest(_ request: SigV4Request) -> String {
        let headers = Self.canonicalHeaders(request.headers)
        let lines: [String] = [
            request.method, request.encodedPath.isEmpty ? "/" : request.encodedPath, Self.canonicalQuery(request.query),
            headers.canonical, headers.signed, request.payloadHash,
        ]
        return lines.joined(separator: "\n")
    }

    public func stringToSign(canonicalRequest: String, at time: SigV4Timestamp) -> String {
        let hash = Digest.sha256Hex(Array(canonicalRequest.utf8))
        return [Self.algorithm, time.amzDate, scope(time.scopeDate), hash].joined(separator: "\n")
    }

    public func signingKey(secret: String, scopeDate: String) -> [UInt8] {
        let date = HMAC.sha256(key: Array(("AWS4" + secret).utf8), message: scopeDate)
        let region = HMAC.sha256(key: date, message: self.region)
        let service = HMAC.sha256(key: region, message: self.service)
        return HMAC.sha256(key: service, message: "aws4_request")
    }

    /// Names and values encoded (`/` as `%2F`), sorted by encoded name, then value, in byte order.
    public static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        let encoded: [(String, String)] = query.map {
            (S3URIEncoding.encode($0.name, keepSlash: false), S3URIEncoding.encode($0.value, keepSlash: false))
        }
        let sorted = encoded.sorted { lhs, rhs in
            lhs.0 != rhs.0 ? lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8) : lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8)
        }
        let pairs: [String] = sorted.map { $0.0 + "=" + $0.1 }
        return pairs.joined(separator: "&")
    }

    /// `name:value\n` lines (names lower-cased and sorted, values trimmed with inner runs of spaces collapsed,
    /// repeated names joined by `,`) and the `;`-joined signed names.
    public static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (canonical: String, signed: String) {
        var merged: [String: String] = [:]
        var order: [String] = []
        for header in headers {
            let name = header.name.lowercased()
            let value = trimAll(header.value)
            if let existing = merged[name] {
                merged[name] = existing + "," + value
            } else {
                merged[name] = value
                order.append(name)
            }
        }
        let names = order.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var canonical = ""
        for name in names { canonical += name + ":" + (merged[name] ?? "") + "\n" }
        return (canonical, names.joined(separator: ";"))
    }

    /// Leading and trailing blanks removed, inner runs of spaces reduced to one.
    static func trimAll(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            .trimmingBlanks()
    }
}

extension String {
    fileprivate func trimmingBlanks() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
