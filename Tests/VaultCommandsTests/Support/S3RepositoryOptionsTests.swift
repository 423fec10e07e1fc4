import Testing
import VaultConfig
import VaultCore
import VaultStorage
@testable import VaultCommands

/// `S3ConfigurationFromOptions` and `S3CredentialSelection`: repo1-type=s3 options to the driver's configuration
/// and the credentials chosen from the config or the AWS environment variables.
@Suite struct S3RepositoryOptionsTests {
    func repo(_ arguments: [String], environment: [String: String] = [:]) throws -> RepoOptions {
        let config = try ConfigResolver(table: CommandRegistry.table, inputs: .memory(environment: environment, files: [:]))
            .resolve(arguments: ["--stanza=main", "--repo1-type=s3", "--repo1-s3-bucket=bkt", "--repo1-s3-region=eu-west-1",
                                 "--repo1-path=/pg/repo"] + arguments + ["info"])
        return config.repo(1)
    }

    @Test func defaultsAndPrefix() throws {
        let configuration = try S3ConfigurationFromOptions.configuration(for: try repo([]))
        #expect(configuration.bucket == "bkt")
        #expect(configuration.region == "eu-west-1")
        #expect(configuration.rootPrefix == "pg/repo")
        #expect(configuration.uriStyle == .host)
        #expect(configuration.storagePort == nil)
        #expect(configuration.verifyTLS)
        #expect(configuration.uploadChunkSize == 5 << 20)
        #expect(configuration.retry.maxRetries == 4)
        #expect(configuration.ioTimeout == 60)
        #expect(configuration.serverSideEncryption == .none)
    }

    @Test func everyS3Option() throws {
        let configuration = try S3ConfigurationFromOptions.configuration(for: try repo([
            "--repo1-s3-endpoint=http://127.0.0.1:9000", "--repo1-s3-uri-style=path", "--repo1-storage-port=9001",
            "--repo1-storage-host=10.0.0.1", "--no-repo1-storage-verify-tls", "--repo1-storage-ca-file=/ca.pem",
            "--repo1-s3-storage-class=STANDARD_IA", "--repo1-s3-kms-key-id=kms-1", "--repo1-s3-requester-pays",
            "--repo1-storage-upload-chunk-size=8MiB", "--repo1-storage-retry=7", "--io-timeout=5",
        ]))
        #expect(configuration.endpoint == "http://127.0.0.1:9000")
        #expect(configuration.uriStyle == .path)
        #expect(configuration.storagePort == 9001)
        #expect(configuration.storageHost == "10.0.0.1")
        #expect(!configuration.verifyTLS)
        #expect(configuration.caFile == "/ca.pem")
        #expect(configuration.storageClass == "STANDARD_IA")
        #expect(configuration.serverSideEncryption == .kms(keyId: "kms-1"))
        #expect(configuration.requesterPays)
        #expect(configuration.uploadChunkSize == 8 << 20)
        #expect(configuration.retry.maxRetries == 7)
        #expect(configuration.ioTimeout == 5)
    }

    @Test func explicitKeysWinOverTheEnvironment() async throws {
        // Secure options come from the environment or the config file only, never the command line.
        let provider = try S3CredentialSelection.provider(
            for: try repo([], environment: ["PGBACKREST_REPO1_S3_KEY": "AK", "PGBACKREST_REPO1_S3_KEY_SECRET": "SK",
                                            "PGBACKREST_REPO1_S3_TOKEN": "TK"]),
            environment: ["AWS_ACCESS_KEY_ID": "envkey", "AWS_SECRET_ACCESS_KEY": "envsecret"])
        #expect(try await provider.credentials() == S3Credentials(accessKeyId: "AK", secretAccessKey: "SK", sessionToken: "TK"))
    }

    @Test func environmentKeysWhenTheConfigHasNone() async throws {
        let provider = try S3CredentialSelection.provider(
            for: try repo([]), environment: ["AWS_ACCESS_KEY_ID": "envkey", "AWS_SECRET_ACCESS_KEY": "envsecret",
                                             "AWS_SESSION_TOKEN": "envtoken"])
        #expect(try await provider.credentials()
                == S3Credentials(accessKeyId: "envkey", secretAccessKey: "envsecret", sessionToken: "envtoken"))
    }

    @Test func noCredentialsIsAClearErrorWithoutSecrets() throws {
        let error = #expect(throws: PGVError.self) {
            _ = try S3CredentialSelection.provider(for: try repo([]), environment: ["AWS_ACCESS_KEY_ID": "only-key"])
        }
        #expect(error?.code == .optionRequired)
        #expect(error?.message == "environment variable AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY")
        let none = #expect(throws: PGVError.self) {
            _ = try S3CredentialSelection.provider(for: try repo([]), environment: [:])
        }
        #expect(none?.code == .optionRequired)
        #expect(none?.message.hasPrefix("option 'repo1-s3-key' is required") == true)
        let half = #expect(throws: PGVError.self) {
            _ = try S3CredentialSelection.provider(for: try repo([], environment: ["PGBACKREST_REPO1_S3_KEY": "AK"]),
                                                   environment: [:])
        }
        #expect(half?.code == .optionRequired)
    }
}
