import Foundation
import Testing
import VaultConfig
import VaultCore
import VaultObservability
@testable import VaultCommands

/// Runs the dispatcher with hermetic configuration and captures what it writes to standard output and error.
struct DispatcherHarness {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dispatch-\(UUID().uuidString)").path

    func run(_ arguments: [String], environment: [String: String] = [:], files: [String: String] = [:]) async throws
        -> (code: Int32, stdout: String, stderr: String) {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stdout = try LogSink.appending(to: dir + "/stdout")
        let stderr = try LogSink.appending(to: dir + "/stderr")
        let dispatcher = CommandDispatcher(
            inputs: .memory(environment: environment, files: files),
            output: CommandOutput(sink: stdout, isTerminal: false), stderr: stderr)
        let code = await dispatcher.run(arguments: arguments)
        return (code, try String(contentsOfFile: dir + "/stdout", encoding: .utf8),
                try String(contentsOfFile: dir + "/stderr", encoding: .utf8))
    }
}

@Suite struct CommandDispatcherTests {
    /// `server` stands for a command not built yet that logs to a file; these are its required options.
    static let serverOptions = ["--tls-server-auth=client=*", "--tls-server-ca-file=/etc/ca.pem",
                                "--tls-server-cert-file=/etc/server.pem", "--tls-server-key-file=/etc/server.key"]

    let harness = DispatcherHarness()

    @Test func versionPrintsTheBanner() async throws {
        let result = try await harness.run(["version"])
        #expect(result.code == 0)
        #expect(result.stdout == "pgvault \(PGVaultVersion.current) (pgBackRest 2.45 compatible)\n")
    }

    @Test func helpForACommandListsItsOptions() async throws {
        let result = try await harness.run(["help", "backup"])
        #expect(result.code == 0)
        #expect(result.stdout.contains("compress-type"))
        #expect(result.stdout.contains("process-max"))
    }

    @Test func parseErrorsPrintPgBackRestsLineAndExitWithTheCode() async throws {
        let result = try await harness.run(["--bogus", "info"])
        #expect(result.code == 31)
        #expect(result.stderr == "ERROR: [031]: invalid option '--bogus'\n")
    }

    @Test func secureOptionOnTheCommandLineIsRefusedWithoutEchoingIt() async throws {
        let result = try await harness.run(["--stanza=main", "--repo1-cipher-pass=topsecret123", "info"])
        #expect(result.code == 31)
        #expect(!result.stderr.contains("topsecret123"))
        #expect(result.stderr.contains("HINT:"))
    }

    @Test func unbuiltCommandExitsWith201AndSaysSo() async throws {
        let result = try await harness.run(["server"] + Self.serverOptions)
        #expect(result.code == 201)
        #expect(result.stderr.hasPrefix("ERROR: [201]: command 'server' is not implemented yet\nHINT: pgvault"))
    }

    @Test func configFileWarningsAreLoggedAndSecretsFromTheFileNeverPrinted() async throws {
        let conf = "[global]\nrepo1-cipher-pass=filesecret99\nbogus-option=1\nlog-level-console=info\n"
        let result = try await harness.run(["--config=/etc/test.conf", "server"] + Self.serverOptions,
                                           files: ["/etc/test.conf": conf])
        #expect(result.code == 201)
        #expect(result.stderr.contains("WARN: configuration file contains invalid option 'bogus-option'"))
        #expect(!(result.stdout + result.stderr).contains("filesecret99"))
    }

    @Test func unopenableLogFileWarnsAndTheCommandGoesOn() async throws {
        let result = try await harness.run(["--log-path=/proc/no-log-dir", "server"] + Self.serverOptions)
        #expect(result.code == 201)
        #expect(result.stderr.hasPrefix(
            "WARN: unable to open log file '/proc/no-log-dir/all-server.log': No such file or directory\n"
                + "NOTE: process will continue without log file.\n"))
    }

    @Test func logFileIsStanzaDashCommandUnderLogPath() async throws {
        let logPath = harness.dir + "-logs"
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        let result = try await harness.run(["--log-path=\(logPath)", "server"] + Self.serverOptions)
        #expect(result.code == 201)
        let log = try String(contentsOfFile: logPath + "/all-server.log", encoding: .utf8)
        #expect(log.contains(" P00  ERROR: [201]: command 'server' is not implemented yet"))
    }

    @Test func execIdHasPidAndEightHexDigits() {
        let id = CommandDispatcher.newExecId()
        #expect(id.wholeMatch(of: #/\d+-[0-9a-f]{8}/#) != nil)
    }
}
