import Foundation
import Testing
import VaultCore
@testable import VaultStorage

/// EC2 instance metadata exists only on EC2; these tests run an IMDSv2 stand-in (`.fixtures/metadata_server.py`) on
/// 127.0.0.1 that refuses requests without a session token, and point `AWS_EC2_METADATA_SERVICE_ENDPOINT` at it.
struct InstanceMetadataCredentialProviderTests {
    struct SeenRequest: Decodable, Equatable {
        let method: String
        let path: String
    }

    func requests(of fixture: LocalServerProcess) async throws -> [SeenRequest] {
        let response = try await CredentialHTTPExchange.perform(
            .shared, method: .GET, url: fixture.baseURL + "/__requests", timeout: .seconds(5), endpoint: "fixture")
        return try JSONDecoder().decode([SeenRequest].self, from: Data(response.body.utf8))
    }

    @Test func theChainFallsBackToImdsV2TokenRoleThenCredentials() async throws {
        let fixture = try await LocalServerProcess.startMetadataFixture(["--role", "ec2-backup-role"])
        defer { fixture.stop() }
        let provider = try S3CredentialChain.provider(
            keyType: "auto", key: nil, secret: nil, token: nil, role: nil,
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": fixture.baseURL], httpClient: .shared,
            region: "us-east-1")
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyId == "ASIAFIXTURE000000002")
        #expect(credentials.sessionToken == "fixture-session-token-2")
        #expect(try #require(credentials.expiration).timeIntervalSinceNow > 3500)
        let path = "/latest/meta-data/iam/security-credentials/"
        #expect(try await requests(of: fixture) == [
            SeenRequest(method: "PUT", path: "/latest/api/token"), SeenRequest(method: "GET", path: path),
            SeenRequest(method: "GET", path: path + "ec2-backup-role"),
        ])
    }

    @Test func aConfiguredRoleNameSkipsTheLookup() async throws {
        let fixture = try await LocalServerProcess.startMetadataFixture(["--role", "named-role"])
        defer { fixture.stop() }
        let provider = InstanceMetadataCredentialProvider(
            settings: .init(endpoint: fixture.baseURL, roleName: "named-role"), httpClient: .shared)
        #expect(try await provider.credentials().accessKeyId == "ASIAFIXTURE000000002")
        #expect(try await requests(of: fixture).map(\.path)
            == ["/latest/api/token", "/latest/meta-data/iam/security-credentials/named-role"])
    }

    @Test func anUnknownRoleIsProtocolErrorNamingIt() async throws {
        let fixture = try await LocalServerProcess.startMetadataFixture(["--role", "real-role"])
        defer { fixture.stop() }
        let provider = InstanceMetadataCredentialProvider(
            settings: .init(endpoint: fixture.baseURL, roleName: "other-role"), httpClient: .shared)
        let error = await caughtPGVError { _ = try await provider.credentials() }
        #expect(error == PGVError(.protocolError, "instance metadata at '\(fixture.baseURL)' refused the credentials "
            + "of role 'other-role' request with 404"))
    }

    @Test func noInstanceMetadataIsHostConnect() async throws {
        let port = try LoopbackPort.free()
        let provider = InstanceMetadataCredentialProvider(settings: .init(endpoint: "http://127.0.0.1:\(port)"),
                                                          httpClient: .shared)
        let error = await caughtPGVError { _ = try await provider.credentials() }
        #expect(error?.code == .hostConnect)
        #expect(error?.message.hasPrefix("unable to get credentials from instance metadata at "
            + "'http://127.0.0.1:\(port)/latest/api/token'") == true)
        #expect(error?.hint?.hasPrefix("instance metadata is the last source of s3-key-type=auto") == true)
    }

    @Test func settingsFollowTheAwsVariables() {
        #expect(InstanceMetadataCredentialProvider.settings(environment: [:], role: nil)
            == .init(endpoint: "http://169.254.169.254"))
        #expect(InstanceMetadataCredentialProvider.settings(
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"], role: "r")
            == .init(endpoint: "http://[fd00:ec2::254]", roleName: "r"))
        #expect(InstanceMetadataCredentialProvider.settings(environment: [:], role: "arn:aws:iam::1:role/r")
            == .init(endpoint: "http://169.254.169.254"))
        #expect(InstanceMetadataCredentialProvider.settings(environment: ["AWS_EC2_METADATA_DISABLED": "TRUE"],
                                                            role: nil) == nil)
    }
}
