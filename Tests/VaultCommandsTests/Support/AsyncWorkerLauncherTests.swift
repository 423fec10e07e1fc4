import Foundation
import Testing
import VaultConfig
@testable import VaultCommands

@Suite struct AsyncWorkerLauncherTests {
    func resolve(_ arguments: [String], environment: [String: String] = [:]) throws -> ResolvedConfig {
        try ConfigResolver(table: CommandRegistry.table, inputs: .memory(environment: environment, files: [:]))
            .resolve(arguments: arguments)
    }

    /// Command-line options of the command only (the worker reads file and environment itself), logging off,
    /// then `command:role` and the parameters.
    @Test func passesCommandLineOptionsAndSilencesTheConsole() throws {
        let config = try resolve(
            ["--no-config", "--stanza=main", "--pg1-path=/pg", "--process-max=2", "--log-level-console=info",
             "--archive-push-queue-max=1MiB", "archive-push", "pg_wal/000000010000000000000001"],
            environment: ["PGBACKREST_REPO1_PATH": "/repo"])
        #expect(AsyncWorkerLauncher.arguments(config: config, command: "archive-push", role: "async",
                                              parameters: ["/pg/pg_wal"])
                == ["--no-config", "--archive-push-queue-max=1MiB", "--pg1-path=/pg", "--process-max=2", "--stanza=main",
                    "--log-level-console=off", "--log-level-stderr=off", "archive-push:async", "/pg/pg_wal"])
    }

    @Test func aConfigFileGivenOnTheCommandLineIsPassedOn() throws {
        let config = try ConfigResolver(table: CommandRegistry.table, inputs: .memory(
            environment: [:], files: ["/etc/x.conf": "[global]\nrepo1-path=/r\n"]))
            .resolve(arguments: ["--config=/etc/x.conf", "--stanza=main", "--pg1-path=/pg", "archive-get", "a", "b"])
        #expect(AsyncWorkerLauncher.arguments(config: config, command: "archive-get", role: "async", parameters: ["a"])
                == ["--config=/etc/x.conf", "--pg1-path=/pg", "--stanza=main", "--log-level-console=off",
                    "--log-level-stderr=off", "archive-get:async", "a"])
    }

    /// Secrets reach the worker only the way they reached the foreground (config file, environment), never its argv,
    /// which `ps` shows to every user.
    @Test func secretsFromFileOrEnvironmentNeverReachTheWorkerArgv() throws {
        let config = try ConfigResolver(table: CommandRegistry.table, inputs: .memory(
            environment: ["PGBACKREST_REPO1_S3_KEY_SECRET": "env-secret-1234", "PGBACKREST_REPO1_S3_TOKEN": "env-token-5678"],
            files: ["/etc/x.conf": "[global]\nrepo1-path=/r\nrepo1-cipher-type=aes-256-cbc\nrepo1-cipher-pass=file-pass-9abc\n"]))
            .resolve(arguments: ["--config=/etc/x.conf", "--stanza=main", "--pg1-path=/pg", "archive-push", "p"])
        let words = AsyncWorkerLauncher.arguments(config: config, command: "archive-push", role: "async", parameters: ["p"])
        #expect(words == ["--config=/etc/x.conf", "--pg1-path=/pg", "--stanza=main", "--log-level-console=off",
                          "--log-level-stderr=off", "archive-push:async", "p"])
        for secret in ["env-secret-1234", "env-token-5678", "file-pass-9abc"] {
            #expect(!words.joined(separator: " ").contains(secret))
        }
    }

    /// The spawned worker runs detached: a new session, no terminal descriptors, the given arguments.
    @Test func launchStartsADetachedChild() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("launch-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let pid = try AsyncWorkerLauncher.launch(
            executable: "/bin/sh", arguments: ["-c", "ps -o sid= -p $$ > \(marker); ls -l /proc/$$/fd/ >> \(marker)"])
        var ended = false
        for _ in 0..<500 where !ended {
            ended = AsyncWorkerLauncher.reap(pid)
            if !ended { usleep(10_000) }
        }
        #expect(ended)
        let lines = try String(contentsOfFile: marker, encoding: .utf8).split(separator: "\n")
        #expect(lines.first.map { $0.trimmingCharacters(in: .whitespaces) } == String(pid))
        #expect(lines.contains { $0.hasSuffix("0 -> /dev/null") })
        #expect(lines.contains { $0.hasSuffix("2 -> /dev/null") })
    }
}
