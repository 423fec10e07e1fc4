import Testing
import VaultCore
@testable import VaultStorage

struct S3AddressingTests {
    @Test func defaultEndpointIsRegionalHostStyleOverHTTPS() throws {
        let addressing = try S3Addressing(S3Configuration(bucket: "bkt", region: "eu-west-1"))
        #expect(addressing.secure)
        #expect(addressing.hostHeader == "bkt.s3.eu-west-1.amazonaws.com")
        #expect(addressing.encodedPath(key: "repo/a b") == "/repo/a%20b")
        #expect(addressing.url(encodedPath: "/k", encodedQuery: "") == "https://bkt.s3.eu-west-1.amazonaws.com/k")
        #expect(addressing.connectHost == nil)
    }

    @Test func pathStyleHTTPEndpointWithPort() throws {
        let addressing = try S3Addressing(S3Configuration(bucket: "bkt", region: "us-east-1",
                                                          endpoint: "http://127.0.0.1:9000", uriStyle: .path))
        #expect(!addressing.secure)
        #expect(addressing.port == 9000)
        #expect(addressing.hostHeader == "127.0.0.1:9000")
        #expect(addressing.encodedPath(key: "x/y") == "/bkt/x/y")
        #expect(addressing.encodedPath(key: nil) == "/bkt/")
        #expect(addressing.url(encodedPath: "/bkt/", encodedQuery: "list-type=2")
                == "http://127.0.0.1:9000/bkt/?list-type=2")
    }

    @Test func storageHostAndPortOverride() throws {
        let addressing = try S3Addressing(S3Configuration(bucket: "bkt", region: "us-east-1", endpoint: "s3.example.com",
                                                          storageHost: "10.0.0.5", storagePort: 8443))
        #expect(addressing.virtualHost == "bkt.s3.example.com")
        #expect(addressing.connectHost == "10.0.0.5")
        #expect(addressing.hostHeader == "bkt.s3.example.com:8443")
    }

    @Test func invalidEndpointPortIsAnOptionError() {
        let error = #expect(throws: PGVError.self) {
            _ = try S3Addressing(S3Configuration(bucket: "b", region: "r", endpoint: "host:notaport"))
        }
        #expect(error?.code == .optionInvalidValue)
    }
}
