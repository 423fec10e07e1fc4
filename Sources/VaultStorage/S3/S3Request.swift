import NIOHTTP1

/// One S3 API call before signing: method, object key (nil for the bucket itself), query, extra headers and body.
struct S3Request: Sendable {
    var method: HTTPMethod
    var key: String?
    var query: [(name: String, value: String)] = []
    var headers: [(name: String, value: String)] = []
    var body: [UInt8] = []
    /// Error statuses handed back to the caller as answers instead of failures (404 on GET/HEAD, 416 on a range).
    var answeredStatuses: Set<Int> = []

    /// `GET of key 'repo/x'` / `GET of the bucket listing`: how error messages name the call.
    var summary: String {
        let what = key.map { "key '\($0)'" } ?? "the bucket"
        return "\(method.rawValue) of \(what)"
    }
}

/// A buffered S3 answer.
struct S3Response: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
}
