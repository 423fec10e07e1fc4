import Glibc
import Logging
import VaultCore

/// The swift-log handler of pgvault. Each event goes to at most one of standard error or standard output (standard
/// error wins when its level admits the event, as in pgBackRest), and to the log file when the file level admits it.
/// Registered secrets are scrubbed from every line by `SecretRedactor`.
public struct VaultLogHandler: LogHandler {
    public struct Destinations: Sendable {
        public var consoleLevel: LogLevel
        public var stderrLevel: LogLevel
        public var fileLevel: LogLevel
        public var console: LogSink
        public var stderr: LogSink
        public var file: LogSink?

        public init(consoleLevel: LogLevel = .warn, stderrLevel: LogLevel = .warn, fileLevel: LogLevel = .off,
                    console: LogSink = .standardOutput, stderr: LogSink = .standardError, file: LogSink? = nil) {
            self.consoleLevel = consoleLevel
            self.stderrLevel = stderrLevel
            self.fileLevel = fileLevel
            self.console = console
            self.stderr = stderr
            self.file = file
        }

        /// The most verbose level any destination wants, so swift-log can skip building messages nobody reads.
        var mostVerbose: LogLevel {
            [consoleLevel, stderrLevel, file == nil ? .off : fileLevel].max() ?? .off
        }
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public let destinations: Destinations
    public let renderer: LogLineRenderer
    public let redactor: SecretRedactor

    public init(destinations: Destinations, renderer: LogLineRenderer, redactor: SecretRedactor = .shared) {
        self.destinations = destinations
        self.renderer = renderer
        self.redactor = redactor
        let verbose = destinations.mostVerbose
        self.logLevel = verbose == .off ? .critical : verbose.loggerLevel
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let level = LogLevel(event.level)
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let fields = merged.mapValues { redactor.scrub("\($0)") }
        let message = "\(event.message)"
        let line = redactor.scrub(renderer.render(level: level, message: message, fields: fields, time: now))
        if destinations.stderrLevel.admits(level) {
            let bare = renderer.forStandardError.render(level: level, message: message, fields: fields, time: now)
            destinations.stderr.write(line: redactor.scrub(bare))
        } else if destinations.consoleLevel.admits(level) {
            destinations.console.write(line: line)
        }
        if let file = destinations.file, destinations.fileLevel.admits(level) {
            file.write(line: line)
        }
    }
}
