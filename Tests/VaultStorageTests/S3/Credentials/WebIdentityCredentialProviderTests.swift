import AsyncHTTPClient
import Foundation
import Testing
import VaultCore
@testable import VaultStorage

/// Web identity against moto's STS (moto implements AssumeRoleWithWebIdentity and honours DurationSeconds), started
/// on a free 127.0.0.1 port; the chain reaches it through `AWS_ENDPOINT_URL_STS`.
struct WebIdentityCredentialProviderTests {
    static let roleArn = "arn:aws:iam::123456789012:role/pgvault-backup"

    @Test func theChainGetsTemporaryCredentialsFromStsWithTheTokenFile() async throws {
        let moto = try await LocalServerProcess.startMoto()
        defer { moto.stop() }
        let tokens = try TokenDirectory()
        defer { tokens.remove() }
        let tokenFile = try tokens.write("token", "eyJhbGciOiJSUzI1NiJ9.web-identity-jwt.signature\n")
        let environment = ["AWS_ROLE_ARN": Self.roleArn, "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile,
                           "AWS_ENDPOINT_URL_STS": moto.baseURL, "AWS_ROLE_SESSION_NAME": "pgvault-test"]
        let provider = try S3CredentialChain.provider(
            keyType: "web-id", key: nil, secret: nil, token: nil, role: nil, environment: environment,
            httpClient: .shared, region: "us-east-1")
        let before = Date()
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyId.hasPrefix("ASIA"))
        #expect(credentials.secretAccessKey.count >= 20)
        #expect((credentials.sessionToken?.count ?? 0) > 20)
        let expiration = try #require(credentials.expiration)
        #expect(expiration > before.addingTimeInterval(3000) && expiration < before.addingTimeInterval(3700),
                "STS default lifetime is one hour")
        #expect(try await provider.credentials() == credentials, "cached between refreshes")
        #expect(SecretRedactor.shared.scrub("x \(credentials.secretAccessKey) y") == "x <redacted> y")
        #expect(SecretRedactor.shared.scrub("eyJhbGciOiJSUzI1NiJ9.web-identity-jwt.signature") == "<redacted>")
    }

    /// Short-lived STS credentials (DurationSeconds=4, so refreshed about 1 s before expiry) are replaced by new ones from
    /// STS once the real clock reaches the refresh point, and the new set differs from the old.
    @Test func shortLivedCredentialsAreRefreshedFromSts() async throws {
        let moto = try await LocalServerProcess.startMoto()
        defer { moto.stop() }
        let tokens = try TokenDirectory()
        defer { tokens.remove() }
        let settings = WebIdentityCredentialProvider.Settings(
            roleArn: Self.roleArn, tokenFile: try tokens.write("token", "jwt-one"), stsEndpoint: moto.baseURL,
            durationSeconds: 4)
        let provider = RefreshingS3CredentialProvider(
            source: WebIdentityCredentialProvider(settings: settings, httpClient: .shared))
        let first = try await provider.credentials()
        let expiration = try #require(first.expiration)
        #expect(expiration.timeIntervalSinceNow < 5)
        _ = try tokens.write("token", "jwt-two")
        while Date() < expiration.addingTimeInterval(-1.5) {
            #expect(try await provider.credentials() == first)
            try await Task.sleep(for: .milliseconds(250))
        }
        let untilRefresh = expiration.addingTimeInterval(-0.5).timeIntervalSinceNow
        if untilRefresh > 0 { try await Task.sleep(for: .milliseconds(Int(untilRefresh * 1000))) }
        let second = try await provider.credentials()
        #expect(second.accessKeyId != first.accessKeyId)
        #expect(second.sessionToken != first.sessionToken)
        #expect(try #require(second.expiration) > expiration)
    }

    @Test func anUnreachableStsIsHostConnect() async throws {
        let tokens = try TokenDirectory()
        defer { tokens.remove() }
        let port = try LoopbackPort.free()
        let provider = WebIdentityCredentialProvider(
            settings: .init(roleArn: Self.roleArn, tokenFile: try tokens.write("token", "jwt-unreachable-sts"),
                            stsEndpoint: "http://127.0.0.1:\(port)"),
            httpClient: .shared)
        let error = await caughtPGVError { _ = try await provider.credentials() }
        #expect(error?.code == .hostConnect)
        #expect(error?.message.hasPrefix("unable to get credentials from sts at 'http://127.0.0.1:\(port)/'") == true)
        #expect(error.map { !$0.report.contains("jwt-unreachable-sts") } == true, "the token is not in the error")
    }

    /// A server that is not STS (the metadata fixture answers POST with 501) gives `.protocolError` naming the role.
    @Test func aRefusalIsProtocolErrorNamingTheRole() async throws {
        let fixture = try await LocalServerProcess.startMetadataFixture()
        defer { fixture.stop() }
        let tokens = try TokenDirectory()
        defer { tokens.remove() }
        let provider = WebIdentityCredentialProvider(
            settings: .init(roleArn: Self.roleArn, tokenFile: try tokens.write("token", "jwt"),
                            stsEndpoint: fixture.baseURL),
            httpClient: .shared)
        let error = await caughtPGVError { _ = try await provider.credentials() }
        #expect(error?.code == .protocolError)
        #expect(error?.message.hasPrefix("sts AssumeRoleWithWebIdentity for role '\(Self.roleArn)' failed with 501")
            == true)
    }

    @Test func aMissingTokenFileIsFileOpenNamingIt() async throws {
        let provider = WebIdentityCredentialProvider(
            settings: .init(roleArn: Self.roleArn, tokenFile: "/nonexistent/pgvault/token",
                            stsEndpoint: "http://127.0.0.1:9"),
            httpClient: .shared)
        let error = await caughtPGVError { _ = try await provider.credentials() }
        #expect(error == PGVError(.fileOpen, "unable to open web identity token file '/nonexistent/pgvault/token' for "
            + "read: No such file or directory"))
    }

    @Test func formEncodingKeepsUnreservedCharactersOnly() {
        #expect(WebIdentityCredentialProvider.formEncode("arn:aws:iam::1:role/a b+c~d.e_f-g")
            == "arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b%2Bc~d.e_f-g")
        #expect(WebIdentityCredentialProvider.formEncode("é=&") == "%C3%A9%3D%26")
    }
}
