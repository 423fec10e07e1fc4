/// One page of a ListObjectsV2 answer (`list-type=2`): objects, common prefixes (with a delimiter) and the token of
/// the next page.
public struct S3ListPage: Sendable, Equatable {
    public struct Object: Sendable, Equatable {
        public var key: String
        public var size: UInt64
        public var modified: Int64
    }

    public var objects: [Object]
    /// Full prefixes ending with the delimiter (`repo/archive/`).
    public var commonPrefixes: [String]
    /// Set when `IsTruncated` is true.
    public var nextContinuationToken: String?

    /// Parses the `ListBucketResult` document.
    public static func parse(_ xml: String) -> S3ListPage {
        let document = Substring(xml)
        let objects = S3XML.elements("Contents", in: document).map { block in
            Object(key: S3XML.value("Key", in: block) ?? "",
                   size: UInt64(S3XML.value("Size", in: block) ?? "") ?? 0,
                   modified: S3XML.value("LastModified", in: block).flatMap(S3Time.parseISO8601) ?? 0)
        }
        let prefixes = S3XML.elements("CommonPrefixes", in: document).compactMap { S3XML.value("Prefix", in: $0) }
        let truncated = S3XML.value("IsTruncated", in: document) == "true"
        return S3ListPage(objects: objects, commonPrefixes: prefixes,
                          nextContinuationToken: truncated ? S3XML.value("NextContinuationToken", in: document) : nil)
    }
}
