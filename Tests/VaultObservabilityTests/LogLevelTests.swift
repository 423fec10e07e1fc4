import Logging
import Testing
@testable import VaultObservability

@Suite struct LogLevelTests {
    @Test func ordersFromOffToTrace() {
        #expect(LogLevel.allCases == [.off, .error, .warn, .info, .detail, .debug, .trace])
        #expect(LogLevel.warn < LogLevel.info)
    }

    @Test(arguments: [
        (LogLevel.warn, LogLevel.error, true), (.warn, .warn, true), (.warn, .info, false),
        (.info, .detail, false), (.detail, .info, true), (.off, .error, false), (.trace, .trace, true),
    ])
    func destinationAdmitsMessagesAtOrAboveItsLevel(destination: LogLevel, message: LogLevel, admitted: Bool) {
        #expect(destination.admits(message) == admitted)
    }

    @Test(arguments: [
        (Logger.Level.critical, LogLevel.error), (.error, .error), (.warning, .warn), (.notice, .info),
        (.info, .detail), (.debug, .debug), (.trace, .trace),
    ])
    func mapsSwiftLogLevels(swiftLevel: Logger.Level, level: LogLevel) {
        #expect(LogLevel(swiftLevel) == level)
        #expect(LogLevel(level.loggerLevel) == level)
    }
}
