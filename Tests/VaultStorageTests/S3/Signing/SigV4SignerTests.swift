import Testing
import VaultCore
@testable import VaultStorage

/// The signer against AWS's published vectors: the generic aws-sig-v4-test-suite (service `service`, 2015-08-30)
/// and the S3 documentation examples (service `s3`, 2013-05-24). Data written out from the published cases.
struct SigV4SignerTests {
    static let suiteCredentials = S3Credentials(accessKeyId: "AKIDEXAMPLE",
                                                secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let suiteTime = SigV4Timestamp(unixSeconds: 1_440_938_160)
    static let suiteSigner = SigV4Signer(region: "us-east-1", service: "service")
    static let host = ("host", "example.amazonaws.com")

    struct SuiteCase: Sendable, CustomTestStringConvertible {
        var name: String
        var method = "GET"
        var path = "/"
        var query: [(name: String, value: String)] = []
        var headers: [(name: String, value: String)] = []
        var body = ""
        var signedHeaders: String
        var signature: String
        var testDescription: String { name }
    }

    static let suiteCases: [SuiteCase] = [
        SuiteCase(name: "get-vanilla", signedHeaders: "host;x-amz-date",
                  signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        SuiteCase(name: "get-vanilla-query-order-key-case", query: [("Param2", "value2"), ("Param1", "value1")],
                  signedHeaders: "host;x-amz-date",
                  signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        SuiteCase(name: "get-vanilla-query-order-value", query: [("Param1", "value2"), ("Param1", "value1")],
                  signedHeaders: "host;x-amz-date",
                  signature: "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"),
        SuiteCase(name: "get-vanilla-utf8-query", query: [("\u{1234}", "bar")], signedHeaders: "host;x-amz-date",
                  signature: "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
        SuiteCase(name: "get-unreserved",
                  path: "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                  signedHeaders: "host;x-amz-date",
                  signature: "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
        SuiteCase(name: "get-header-value-trim", headers: [("My-Header1", " value1"), ("My-Header2", "\"a   b   c\"")],
                  signedHeaders: "host;my-header1;my-header2;x-amz-date",
                  signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
        SuiteCase(name: "get-header-key-duplicate",
                  headers: [("My-Header1", "value2"), ("My-Header1", "value2"), ("My-Header1", "value1")],
                  signedHeaders: "host;my-header1;x-amz-date",
                  signature: "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"),
        SuiteCase(name: "post-x-www-form-urlencoded", method: "POST",
                  headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "Param1=value1",
                  signedHeaders: "content-type;host;x-amz-date",
                  signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
    ]

    @Test(arguments: suiteCases)
    func suiteVector(_ vector: SuiteCase) throws {
        let request = SigV4Request(
            method: vector.method, encodedPath: S3URIEncoding.encode(vector.path, keepSlash: true), query: vector.query,
            headers: [Self.host] + vector.headers,
            payloadHash: try S3PayloadHash.value(for: Array(vector.body.utf8), unsigned: false, overTLS: true))
        let added = Self.suiteSigner.sign(request, credentials: Self.suiteCredentials, at: Self.suiteTime)
        #expect(added.map(\.name) == ["x-amz-date", "authorization"])
        #expect(added.first?.value == "20150830T123600Z")
        #expect(added.last?.value == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=\(vector.signedHeaders), Signature=\(vector.signature)")
    }

    @Test func suiteIntermediateStrings() {
        let request = SigV4Request(method: "GET", encodedPath: "/", query: [("Param2", "value2"), ("Param1", "value1")],
                                   headers: [Self.host, ("x-amz-date", "20150830T123600Z")],
                                   payloadHash: S3PayloadHash.empty)
        let canonical = Self.suiteSigner.canonicalRequest(request)
        #expect(canonical == """
            GET
            /
            Param1=value1&Param2=value2
            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(Self.suiteSigner.stringToSign(canonicalRequest: canonical, at: Self.suiteTime) == """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0
            """)
    }

    @Test func formBodyHashAndStringToSign() throws {
        let hash = try S3PayloadHash.value(for: Array("Param1=value1".utf8), unsigned: false, overTLS: false)
        #expect(hash == "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e")
        let request = SigV4Request(method: "POST", encodedPath: "/",
                                   headers: [("Content-Type", "application/x-www-form-urlencoded"), Self.host,
                                             ("X-Amz-Date", "20150830T123600Z")], payloadHash: hash)
        let toSign = Self.suiteSigner.stringToSign(canonicalRequest: Self.suiteSigner.canonicalRequest(request),
                                                   at: Self.suiteTime)
        #expect(toSign.hasSuffix("\n42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281"))
    }

    @Test func pathEncodingOfSuitePaths() {
        #expect(S3URIEncoding.encode("/\u{1234}", keepSlash: true) == "/%E1%88%B4")
        #expect(S3URIEncoding.encode("/example space/", keepSlash: true) == "/example%20space/")
        #expect(S3URIEncoding.encode("a/b+c=d", keepSlash: false) == "a%2Fb%2Bc%3Dd")
        #expect(S3URIEncoding.encode("repo/archive/main/15-1/0000000100000001/x.gz", keepSlash: true)
                == "repo/archive/main/15-1/0000000100000001/x.gz")
    }

    // MARK: - S3 documentation examples

    static let s3Credentials = S3Credentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE",
                                             secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let s3Time = SigV4Timestamp(unixSeconds: 1_369_353_600)
    static let s3Signer = SigV4Signer(region: "us-east-1")
    static let bucketHost = ("host", "examplebucket.s3.amazonaws.com")

    @Test func s3GetObjectWithRange() {
        let request = SigV4Request(method: "GET", encodedPath: "/test.txt",
                                   headers: [Self.bucketHost, ("Range", "bytes=0-9"),
                                             ("x-amz-content-sha256", S3PayloadHash.empty)],
                                   payloadHash: S3PayloadHash.empty)
        let added = Self.s3Signer.sign(request, credentials: Self.s3Credentials, at: Self.s3Time)
        #expect(added.last?.value == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                + "aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        var dated = request
        dated.headers.append(("x-amz-date", "20130524T000000Z"))
        let canonical = Self.s3Signer.canonicalRequest(dated)
        #expect(Self.s3Signer.stringToSign(canonicalRequest: canonical, at: Self.s3Time)
                .hasSuffix("\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"))
    }

    @Test func s3ListObjects() {
        let request = SigV4Request(method: "GET", encodedPath: "/", query: [("prefix", "J"), ("max-keys", "2")],
                                   headers: [Self.bucketHost, ("x-amz-content-sha256", S3PayloadHash.empty)],
                                   payloadHash: S3PayloadHash.empty)
        #expect(request.encodedQuery == "max-keys=2&prefix=J")
        let added = Self.s3Signer.sign(request, credentials: Self.s3Credentials, at: Self.s3Time)
        #expect(added.last?.value.hasSuffix(
            "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7") == true)
    }

    @Test func sessionTokenIsSentAndSigned() {
        var credentials = Self.s3Credentials
        credentials.sessionToken = "token/with+chars"
        let request = SigV4Request(method: "HEAD", encodedPath: "/k", headers: [Self.bucketHost],
                                   payloadHash: S3PayloadHash.empty)
        let added = Self.s3Signer.sign(request, credentials: credentials, at: Self.s3Time)
        #expect(added.map(\.name) == ["x-amz-date", "x-amz-security-token", "authorization"])
        #expect(added[1].value == "token/with+chars")
        #expect(added[2].value.contains("SignedHeaders=host;x-amz-date;x-amz-security-token,"))
        let withoutToken = Self.s3Signer.sign(request, credentials: Self.s3Credentials, at: Self.s3Time)
        #expect(withoutToken.last?.value != added.last?.value)
    }

    @Test func unsignedPayloadOnlyOverTLS() throws {
        #expect(try S3PayloadHash.value(for: [1, 2, 3], unsigned: true, overTLS: true) == "UNSIGNED-PAYLOAD")
        let error = #expect(throws: PGVError.self) {
            _ = try S3PayloadHash.value(for: [1, 2, 3], unsigned: true, overTLS: false)
        }
        #expect(error?.code == .optionInvalid)
        #expect(try S3PayloadHash.value(for: [], unsigned: false, overTLS: false) == S3PayloadHash.empty)
    }

    @Test func timestampFormats() {
        let time = SigV4Timestamp(unixSeconds: 1_440_938_160)
        #expect(time.amzDate == "20150830T123600Z")
        #expect(time.scopeDate == "20150830")
    }
}
