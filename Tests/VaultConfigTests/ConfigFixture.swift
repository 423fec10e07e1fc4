import VaultCore
@testable import VaultConfig

/// The users' runbook config (`/etc/pgbackrest/pgbackrest.conf`) plus a `main` stanza, and the cipher passphrase in
/// the environment as the runbook sets it.
enum ConfigFixture {
    static let runbookConfig = """
        [global]
        repo1-type=s3
        repo1-path=/pgbackrest/greenlang
        repo1-s3-bucket=greenlang-pgbackrest-backups
        repo1-s3-region=us-east-1
        repo1-cipher-type=aes-256-cbc
        compress-type=lz4
        repo1-retention-full=4
        repo1-retention-diff=7

        [greenlang]
        pg1-path=/var/lib/postgresql/data
        pg1-port=5432

        [main]
        pg1-path=/var/lib/postgresql/15/main
        """

    static let inputs = ConfigInputs.memory(
        environment: ["PGBACKREST_REPO1_CIPHER_PASS": "runbook-secret", "HOME": "/root"],
        files: ["/etc/pgbackrest/pgbackrest.conf": runbookConfig])

    static func resolve(_ arguments: [String], inputs: ConfigInputs = inputs) throws -> ResolvedConfig {
        try ConfigResolver(inputs: inputs).resolve(arguments: arguments)
    }

    /// The resolved value of a typed option name (`repo2-path`) as text: booleans `y`/`n`, sizes in bytes,
    /// lists and hashes joined by `:`; nil when absent.
    static func text(_ config: ResolvedConfig, _ typed: String) throws -> String? {
        let match = try #require(try OptionTable.standard.match(typed))
        return config.values[match.key].map { ConfigResolver.text(of: $0.value) }
    }
}

import Testing
