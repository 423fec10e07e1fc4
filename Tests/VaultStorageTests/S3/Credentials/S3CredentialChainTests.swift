import Testing
import VaultCore
@testable import VaultStorage

/// The chain's order as a pure decision: options and an environment dictionary in, the chosen source out.
struct S3CredentialChainTests {
    static let envKeys = ["AWS_ACCESS_KEY_ID": "AKIAENVKEY", "AWS_SECRET_ACCESS_KEY": "env-secret-value"]
    static let webIdentity = ["AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/backup",
                              "AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/secrets/token"]
    static let container = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials",
                            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/var/run/secrets/pod-identity/token"]
    static let everything = envKeys.merging(webIdentity) { a, _ in a }.merging(container) { a, _ in a }

    func plan(_ keyType: String, key: String? = nil, secret: String? = nil, token: String? = nil,
              role: String? = nil, _ environment: [String: String]) throws -> S3CredentialSource {
        try S3CredentialChain.plan(keyType: keyType, key: key, secret: secret, token: token, role: role,
                                   environment: environment, region: "eu-west-1")
    }

    @Test(arguments: ["shared", "auto", "web-id"])
    func explicitKeysComeFirstWhateverTheKeyType(keyType: String) throws {
        let source = try plan(keyType, key: "AKIACONFIG", secret: "config-secret", token: "config-token",
                              Self.everything)
        #expect(source == .explicitKeys(S3Credentials(accessKeyId: "AKIACONFIG", secretAccessKey: "config-secret",
                                                      sessionToken: "config-token")))
    }

    @Test func sharedWithoutKeysUsesTheAwsEnvironmentVariables() throws {
        let source = try plan("shared", Self.envKeys.merging(["AWS_SESSION_TOKEN": "env-token"]) { a, _ in a })
        #expect(source == .environment(S3Credentials(accessKeyId: "AKIAENVKEY", secretAccessKey: "env-secret-value",
                                                     sessionToken: "env-token")))
    }

    @Test func sharedWithoutAnythingIsOptionRequiredNamingTheKey() throws {
        let error = try #require(throws: PGVError.self) { try plan("shared", [:]) }
        #expect(error.code == .optionRequired)
        #expect(error.message == "option 'repo1-s3-key' is required: no s3 credentials in the configuration or the "
            + "environment")
        #expect(error.hint?.contains("AWS_ACCESS_KEY_ID") == true)
    }

    @Test func sharedWithOnlyWebIdentityPointsTheHintAtKeyTypeWebId() throws {
        let error = try #require(throws: PGVError.self) { try plan("shared", Self.webIdentity) }
        #expect(error.code == .optionRequired)
        #expect(error.hint?.contains("repo1-s3-key-type=web-id") == true)
    }

    @Test func theRepositoryIndexNamesTheOption() throws {
        let error = try #require(throws: PGVError.self) {
            try S3CredentialChain.plan(keyType: "shared", key: "AKIA", secret: nil, token: nil, role: nil,
                                       environment: [:], region: "us-east-1", repoIndex: 2)
        }
        #expect(error == PGVError(.optionRequired, "option 'repo2-s3-key-secret' is required when 'repo2-s3-key' is set"))
    }

    @Test func aSecretWithoutKeyIsOptionRequired() throws {
        let error = try #require(throws: PGVError.self) { try plan("shared", secret: "s", [:]) }
        #expect(error == PGVError(.optionRequired, "option 'repo1-s3-key' is required when 'repo1-s3-key-secret' is set"))
    }

    @Test func halfAnEnvironmentPairFailsInsteadOfFallingThrough() throws {
        let error = try #require(throws: PGVError.self) {
            try plan("auto", ["AWS_ACCESS_KEY_ID": "AKIA"].merging(Self.webIdentity) { a, _ in a })
        }
        #expect(error.code == .optionRequired)
        #expect(error.message.contains("AWS_SECRET_ACCESS_KEY"))
    }

    /// auto: each step is taken only when every earlier one is absent.
    @Test func autoFollowsTheAwsOrder() throws {
        #expect(try plan("auto", Self.everything).kind == .environment)
        var environment = Self.everything
        environment["AWS_ACCESS_KEY_ID"] = nil
        environment["AWS_SECRET_ACCESS_KEY"] = nil
        #expect(try plan("auto", environment).kind == .webIdentity)
        environment["AWS_ROLE_ARN"] = nil
        #expect(try plan("auto", environment).kind == .container)
        environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = nil
        #expect(try plan("auto", environment) == .instanceMetadata(.init(endpoint: "http://169.254.169.254")))
    }

    @Test func emptyVariablesCountAsUnset() throws {
        let environment = ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_ROLE_ARN": "",
                           "AWS_WEB_IDENTITY_TOKEN_FILE": "/t"]
        #expect(try plan("auto", environment).kind == .instanceMetadata)
    }

    @Test func autoWebIdentityCarriesRoleTokenFileSessionAndRegionalSts() throws {
        let environment = Self.webIdentity.merging(["AWS_ROLE_SESSION_NAME": "nightly"]) { a, _ in a }
        #expect(try plan("auto", environment) == .webIdentity(.init(
            roleArn: "arn:aws:iam::123456789012:role/backup", tokenFile: "/var/run/secrets/token",
            sessionName: "nightly", stsEndpoint: "https://sts.eu-west-1.amazonaws.com")))
    }

    @Test func autoContainerPrefersTheRelativeUriOnTheEcsAgent() throws {
        let source = try plan("auto", ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc",
                                       "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/x",
                                       "AWS_CONTAINER_AUTHORIZATION_TOKEN": "tok"])
        #expect(source == .container(.init(url: "http://169.254.170.2/v2/credentials/abc",
                                           authorization: .token("tok"))))
    }

    @Test func autoInstanceMetadataTakesTheConfiguredRoleNameAndEndpointOverride() throws {
        let source = try plan("auto", role: "ec2-backup-role",
                              ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:8111/"])
        #expect(source == .instanceMetadata(.init(endpoint: "http://127.0.0.1:8111", roleName: "ec2-backup-role")))
    }

    @Test func autoWithInstanceMetadataDisabledAndNothingElseIsOptionRequired() throws {
        let error = try #require(throws: PGVError.self) {
            try plan("auto", ["AWS_EC2_METADATA_DISABLED": "true"])
        }
        #expect(error.code == .optionRequired)
    }

    @Test func webIdIgnoresEnvironmentKeysAndContainer() throws {
        #expect(try plan("web-id", Self.everything).kind == .webIdentity)
    }

    @Test func webIdTakesTheRoleArnFromRepoS3Role() throws {
        let source = try plan("web-id", role: "arn:aws:iam::999999999999:role/other",
                              ["AWS_WEB_IDENTITY_TOKEN_FILE": "/t"])
        guard case let .webIdentity(settings) = source else { Issue.record("not web identity: \(source)"); return }
        #expect(settings.roleArn == "arn:aws:iam::999999999999:role/other")
        #expect(settings.tokenFile == "/t")
    }

    /// pgBackRest's own error and text for a web-id key type without the IRSA variables.
    @Test(arguments: [[:], ["AWS_ROLE_ARN": "arn:aws:iam::1:role/r"], ["AWS_WEB_IDENTITY_TOKEN_FILE": "/t"]])
    func webIdWithoutRoleOrTokenFileIsOptionInvalid(environment: [String: String]) throws {
        let error = try #require(throws: PGVError.self) { try plan("web-id", environment) }
        #expect(error == PGVError(.optionInvalid, "option 'repo1-s3-key-type' is 'web-id' but 'AWS_ROLE_ARN' and "
            + "'AWS_WEB_IDENTITY_TOKEN_FILE' are not set"))
    }

    @Test func anUnknownKeyTypeIsOptionInvalidValue() throws {
        let error = try #require(throws: PGVError.self) { try plan("magic", [:]) }
        #expect(error.code == .optionInvalidValue)
        #expect(error.message == "'magic' is not allowed for option 'repo1-s3-key-type'")
    }

    @Test func providersMatchTheSourceAndTemporaryOnesRefresh() async throws {
        let fixed = try S3CredentialChain.provider(
            keyType: "shared", key: nil, secret: nil, token: nil, role: nil, environment: Self.envKeys,
            httpClient: .shared, region: "us-east-1")
        #expect(fixed is EnvironmentCredentialProvider)
        #expect(try await fixed.credentials().accessKeyId == "AKIAENVKEY")
        let explicit = S3CredentialChain.provider(
            for: .explicitKeys(S3Credentials(accessKeyId: "AKIAX", secretAccessKey: "secret-x")), httpClient: .shared)
        #expect(explicit is ExplicitKeyCredentialProvider)
        for source in [try plan("web-id", Self.webIdentity), try plan("auto", Self.container),
                       try plan("auto", [:])] {
            #expect(S3CredentialChain.provider(for: source, httpClient: .shared) is RefreshingS3CredentialProvider)
        }
    }

    @Test func theSourceDescriptionNamesNoSecret() throws {
        let explicit = try plan("shared", key: "AKIACONFIGKEY", secret: "config-secret-value", token: "tok-value", [:])
        let container = try plan("auto", ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://agent.example/c",
                                          "AWS_CONTAINER_AUTHORIZATION_TOKEN": "bearer-secret-value"])
        for text in ["\(explicit)", String(reflecting: explicit), "\(container)", String(reflecting: container)] {
            #expect(!text.contains("AKIACONFIGKEY") && !text.contains("config-secret-value"))
            #expect(!text.contains("tok-value") && !text.contains("bearer-secret-value"))
        }
        #expect("\(container)" == "container credentials (https://agent.example/c)")
    }
}
