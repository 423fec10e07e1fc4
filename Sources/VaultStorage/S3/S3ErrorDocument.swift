/// The `<Error><Code>…</Code><Message>…</Message></Error>` body of a failed S3 request.
public struct S3ErrorDocument: Sendable, Equatable {
    public var code: String?
    public var message: String?

    public init(code: String?, message: String?) {
        self.code = code
        self.message = message
    }

    /// nil when `body` holds no `<Error>` element (HEAD answers and proxies send none).
    public static func parse(_ body: [UInt8]) -> S3ErrorDocument? {
        let text = String(decoding: body, as: UTF8.self)
        guard let error = S3XML.elements("Error", in: Substring(text)).first else { return nil }
        return S3ErrorDocument(code: S3XML.value("Code", in: error), message: S3XML.value("Message", in: error))
    }
}
