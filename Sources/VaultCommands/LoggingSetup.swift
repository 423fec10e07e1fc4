import Logging
import VaultConfig
import VaultCore
import VaultObservability

/// Builds the logger of one command from `log-level-console`, `log-level-stderr`, `log-level-file`, `log-path`,
/// `log-timestamp` and `log-format`. The log file is `<log-path>/<stanza>-<command>.log` (`all-<command>.log`
/// without a stanza), for the commands pgBackRest logs to file; an internal role always logs to file, its name
/// suffixed (`<stanza>-archive-push-async.log`, as pgBackRest names it).
enum LoggingSetup {
    /// An unopenable log file is not fatal, as in pgBackRest: the command goes on without it and warns once.
    static func logger(config: ResolvedConfig, definition: CommandDefinition?, console: LogSink,
                       stderr: LogSink) -> Logger {
        func level(_ name: String, _ fallback: LogLevel) -> LogLevel {
            config.string(name).flatMap(LogLevel.init(rawValue:)) ?? fallback
        }
        var fileSink: LogSink?
        var fileWarning: String?
        let fileLevel = level("log-level-file", .info)
        if definition?.logsToFile == true || config.role != nil, fileLevel != .off,
           let logPath = config.string("log-path") {
            let role = config.role.map { "-" + $0 } ?? ""
            let name = "\(config.string("stanza") ?? "all")-\(config.command)\(role).log"
            do {
                fileSink = try LogSink.appending(to: logPath + "/" + name)
            } catch {
                fileWarning = "\(PGVError.wrap(error).message)\nNOTE: process will continue without log file."
            }
        }
        let destinations = VaultLogHandler.Destinations(
            consoleLevel: level("log-level-console", .warn), stderrLevel: level("log-level-stderr", .warn),
            fileLevel: fileLevel, console: console, stderr: stderr, file: fileSink)
        let renderer = LogLineRenderer(
            format: config.string("log-format").flatMap(LogFormat.init(rawValue:)) ?? .text,
            timestamp: config.isSet("log-timestamp") ? config.bool("log-timestamp") : true,
            stanza: config.string("stanza"), command: config.command)
        let handler = VaultLogHandler(destinations: destinations, renderer: renderer)
        let logger = Logger(label: "pgvault", factory: { _ in handler })
        if let fileWarning { logger.warning("\(fileWarning)") }
        return logger
    }
}
