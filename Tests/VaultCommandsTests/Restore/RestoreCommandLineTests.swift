import Testing
import VaultConfig
import VaultCore
@testable import VaultCommands

@Suite struct RestoreCommandLineTests {
    func resolve(_ arguments: [String], environment: [String: String] = [:], files: [String: String] = [:]) throws -> ResolvedConfig {
        try ConfigResolver(table: CommandRegistry.table, inputs: .memory(environment: environment, files: files))
            .resolve(arguments: arguments)
    }

    /// Command-line options archive-get also takes, in option order; never restore-only options, log levels,
    /// process-max, secrets or options from the config file and environment.
    @Test func keepsTheCommandLineOptionsArchiveGetTakes() throws {
        let config = try resolve(
            ["--config=/etc/pg vault.conf", "--stanza=main", "--pg1-path=/data/r", "--repo1-path=/repo", "--process-max=4",
             "--log-level-console=detail", "--delta", "--type=immediate", "--target-action=promote", "restore"],
            environment: ["PGBACKREST_REPO1_CIPHER_PASS": "secret", "PGBACKREST_REPO1_CIPHER_TYPE": "aes-256-cbc"],
            files: ["/etc/pg vault.conf": "[global]\nlog-path=/log\n"])
        #expect(RestoreCommandLine.build(config: config, executable: "/usr/bin/pgvault")
                == "/usr/bin/pgvault --config=\"/etc/pg vault.conf\" --pg1-path=/data/r --repo1-path=/repo --stanza=main "
                + "archive-get %f \"%p\"")
    }

    @Test func cmdReplacesTheExecutable() throws {
        let config = try resolve(["--stanza=main", "--pg1-path=/r", "--cmd=/opt/pgvault", "restore"])
        #expect(RestoreCommandLine.build(config: config, executable: "/x")
                == "/opt/pgvault --pg1-path=/r --stanza=main archive-get %f \"%p\"")
    }

    @Test func currentExecutableIsAbsolute() {
        #expect(RestoreCommandLine.currentExecutable().hasPrefix("/"))
    }
}
