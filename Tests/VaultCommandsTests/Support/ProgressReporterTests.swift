import Foundation
import Logging
import Testing
import VaultObservability
@testable import VaultCommands

@Suite struct ProgressReporterTests {
    static func output(terminal: Bool) throws -> (CommandOutput, String) {
        let path = NSTemporaryDirectory() + "progress-\(UUID().uuidString)"
        return (CommandOutput(sink: try LogSink.appending(to: path), isTerminal: terminal), path)
    }

    @Test func offATerminalEachTenPercentStepIsAnInfoLineAndNothingIsDrawn() throws {
        let lines = LogLines()
        let logger = Logger(label: "test", factory: { _ in RecordingLogHandler(sink: lines) })
        let (output, path) = try Self.output(terminal: false)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reporter = ProgressReporter(command: "backup", totalBytes: 100, totalFiles: 20, output: output, logger: logger)
        for _ in 0..<20 { reporter.advance(bytes: 5) }
        reporter.finish()
        let logged = lines.lines.withLock { $0 }
        #expect(logged.count == 10)
        #expect(logged.first?.hasPrefix("notice backup progress 10% (10.0% 10B/100B ") == true)
        #expect(logged.last?.hasPrefix("notice backup progress 100% (100.0% 100B/100B ") == true)
        #expect(logged.last?.contains(" 20/20 files ETA 0:00:00)") == true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "")
    }

    @Test func onATerminalTheLineIsRedrawnInPlaceAndEndedByFinish() throws {
        let lines = LogLines()
        let logger = Logger(label: "test", factory: { _ in RecordingLogHandler(sink: lines) })
        let (output, path) = try Self.output(terminal: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reporter = ProgressReporter(command: "restore", totalBytes: 10, totalFiles: 2, output: output, logger: logger)
        reporter.advance(bytes: 4)
        reporter.advance(bytes: 6)
        reporter.finish()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("\r\u{1B}[K40.0% 4B/10B "))
        #expect(text.contains("\r\u{1B}[K100.0% 10B/10B "))
        #expect(text.hasSuffix(" 2/2 files ETA 0:00:00\n"))
        #expect(lines.lines.withLock { $0 }.isEmpty)
    }
}
