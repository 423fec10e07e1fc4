import Foundation
import Logging
import Testing
import VaultCore
@testable import VaultObservability

@Suite struct VaultLogHandlerTests {
    /// Builds a handler whose three destinations are files in a fresh directory, logs through it, and returns
    /// the lines each destination received.
    func capture(console: LogLevel, stderr: LogLevel, file: LogLevel, redactor: SecretRedactor = SecretRedactor(),
                 _ body: (Logger) -> Void) throws -> (console: [String], stderr: [String], file: [String]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loghandler-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let paths = ["console", "stderr", "logs/main-backup.log"].map { "\(dir)/\($0)" }
        let sinks = try paths.map { try LogSink.appending(to: $0) }
        let destinations = VaultLogHandler.Destinations(consoleLevel: console, stderrLevel: stderr, fileLevel: file,
                                                        console: sinks[0], stderr: sinks[1], file: sinks[2])
        let handler = VaultLogHandler(destinations: destinations, renderer: LogLineRenderer(timestamp: false),
                                      redactor: redactor)
        body(Logger(label: "test", factory: { _ in handler }))
        func lines(_ path: String) throws -> [String] {
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        }
        return (try lines(paths[0]), try lines(paths[1]), try lines(paths[2]))
    }

    @Test func routesByLevelWithStderrTakingPrecedence() throws {
        let out = try capture(console: .info, stderr: .warn, file: .detail) { logger in
            logger.error("failed")
            logger.warning("careful")
            logger.notice("begin")
            logger.info("detail line")
            logger.debug("debug line")
        }
        #expect(out.stderr == ["ERROR: failed", "WARN: careful"])
        #expect(out.console == ["P00   INFO: begin"])
        #expect(out.file == ["P00  ERROR: failed", "P00   WARN: careful", "P00   INFO: begin", "P00 DETAIL: detail line"])
    }

    @Test func offSilencesADestination() throws {
        let out = try capture(console: .off, stderr: .off, file: .off) { $0.error("nothing") }
        #expect(out.console.isEmpty && out.stderr.isEmpty && out.file.isEmpty)
    }

    @Test func registeredSecretsNeverReachAnyDestination() throws {
        let redactor = SecretRedactor()
        redactor.register("s3cr3t-passphrase")
        let out = try capture(console: .trace, stderr: .off, file: .trace, redactor: redactor) { logger in
            logger.notice("using s3cr3t-passphrase here", metadata: ["key": "s3cr3t-passphrase"])
        }
        #expect(out.console == ["P00   INFO: using <redacted> here"])
        #expect(!out.file.joined().contains("s3cr3t"))
    }
}
