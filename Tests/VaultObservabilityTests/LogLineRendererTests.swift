import Foundation
import Glibc
import Testing
@testable import VaultObservability

@Suite struct LogLineRendererTests {
    let time = timespec(tv_sec: 1_705_284_000, tv_nsec: 123_000_000)

    @Test(arguments: [
        (LogLevel.info, "P00   INFO: backup command begin"),
        (.warn, "P00   WARN: backup command begin"),
        (.error, "P00  ERROR: backup command begin"),
        (.detail, "P00 DETAIL: backup command begin"),
        (.debug, "P00  DEBUG: backup command begin"),
        (.trace, "P00  TRACE: backup command begin"),
    ])
    func textLineMatchesPgBackRestLayout(level: LogLevel, expected: String) {
        let renderer = LogLineRenderer(format: .text, timestamp: false)
        #expect(renderer.render(level: level, message: "backup command begin", time: time) == expected)
    }

    @Test func bareStyleIsPgBackRestsStderrLine() {
        let renderer = LogLineRenderer(format: .text, timestamp: true).forStandardError
        #expect(renderer.render(level: .error, message: "[055]: missing", time: time) == "ERROR: [055]: missing")
    }

    @Test func textTimestampIsLocalWithMilliseconds() {
        let line = LogLineRenderer(format: .text, timestamp: true).render(level: .info, message: "m", time: time)
        let pattern = #/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.123 P00   INFO: m$/#
        #expect(line.wholeMatch(of: pattern) != nil)
    }

    @Test func jsonLineParsesWithAllFields() throws {
        let renderer = LogLineRenderer(format: .json, processId: 2, stanza: "main", command: "backup")
        let line = renderer.render(level: .warn, message: "quote \" and\nnewline\u{1}",
                                   fields: ["file": "base/1/2", "block": "7"], time: time)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["time"] as? String == "2024-01-15T02:00:00.123Z")
        #expect(object["level"] as? String == "warn")
        #expect(object["process"] as? Int == 2)
        #expect(object["stanza"] as? String == "main")
        #expect(object["command"] as? String == "backup")
        #expect(object["message"] as? String == "quote \" and\nnewline\u{1}")
        #expect((object["fields"] as? [String: String]) == ["file": "base/1/2", "block": "7"])
        #expect(!line.contains("\n"))
    }
}
