import Testing
import VaultCore
@testable import VaultStorage

/// The container credential endpoint exists only inside ECS/EKS; these tests run it as `.fixtures/metadata_server.py`
/// on 127.0.0.1, which checks the Authorization header as the agents do.
struct ContainerCredentialProviderTests {
    @Test func theChainReadsTheTokenFileAndGetsCredentialsFromTheFullUri() async throws {
        let fixture = try await LocalServerProcess.startMetadataFixture(["--container-token", "pod-identity-token-1"])
        defer { fixture.stop() }
        let tokens = try TokenDirectory()
        defer { tokens.remove() }
        let environment = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": fixture.baseURL + "/container/credentials",
                           "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": try tokens.write("token", "pod-identity-token-1\n")]
        let provider = try S3CredentialChain.provider(
            keyType: "auto", key: nil, secret: nil, token: nil, role: nil, environment: environment,
            httpClient: .shared, region: "us-east-1")
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyId == "ASIAFIXTURE000000001")
        #expect(credentials.secretAccessKey == "fixture-secret-1-abcdefghijklmnop")
        #expect(credentials.sessionToken == "fixture-session-token-1")
        #expect(try #require(credentials.expiration).timeIntervalSinceNow > 3500)
        #expect(SecretRedactor.shared.scrub("pod-identity-token-1") == "<redacted>")
    }

    @Test func theTokenFromTheEnvironmentIsSentToo() async throws {
        let fixture = try await LocalServerProcess.startMetadataFixture(["--container-token", "env-token-value"])
        defer { fixture.stop() }
        let provider = ContainerCredentialProvider(
            settings: .init(url: fixture.baseURL + "/container/credentials", authorization: .token("env-token-value")),
            httpClient: .shared)
        #expect(try await provider.credentials().accessKeyId == "ASIAFIXTURE000000001")
    }

    @Test func aWrongTokenIsProtocolErrorWithTheStatus() async throws {
        let fixture = try await LocalServerProcess.startMetadataFixture(["--container-token", "right-token"])
        defer { fixture.stop() }
        let url = fixture.baseURL + "/container/credentials"
        let provider = ContainerCredentialProvider(settings: .init(url: url, authorization: .token("wrong-token")),
                                                   httpClient: .shared)
        let error = await caughtPGVError { _ = try await provider.credentials() }
        #expect(error == PGVError(.protocolError, "container credential endpoint '\(url)' answered 401"))
    }

    @Test(arguments: [
        ("https://agent.example.com/creds", true), ("http://127.0.0.1:8080/creds", true),
        ("http://127.0.0.5/creds", true), ("http://localhost/creds", true), ("http://[::1]:80/c", true),
        ("http://169.254.170.23/v1/credentials", true), ("http://169.254.170.2/x", true),
        ("http://agent.example.com/creds", false), ("http://10.0.0.1/creds", false), ("ftp://127.0.0.1/x", false),
    ])
    func plainHttpIsAllowedOnlyToLoopbackAndTheAgents(uri: String, allowed: Bool) {
        #expect(ContainerCredentialProvider.isAllowed(fullURI: uri) == allowed)
    }

    @Test func aRemotePlainHttpUriIsOptionInvalidValue() throws {
        let error = try #require(throws: PGVError.self) {
            try ContainerCredentialProvider.settings(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://10.1.1.1/c"])
        }
        #expect(error.code == .optionInvalidValue)
    }

    @Test func theTokenFileWinsOverTheTokenVariable() throws {
        let settings = try ContainerCredentialProvider.settings(environment: [
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "v2/credentials/id",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/f", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "t",
        ])
        #expect(settings == .init(url: "http://169.254.170.2/v2/credentials/id", authorization: .tokenFile("/f")))
    }
}
