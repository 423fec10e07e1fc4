import Glibc
import Logging
import VaultConfig
import VaultCore
import VaultObservability
import VaultStorage

/// Runs one pgvault invocation from argv to exit code: resolve the configuration, answer `help`/`version`, set up
/// logging, register secrets for scrubbing, run the command, and report any error as pgBackRest does
/// (`ERROR: [NNN]: message` and exit code NNN).
public struct CommandDispatcher: Sendable {
    public let inputs: ConfigInputs
    public let output: CommandOutput
    public let stderr: LogSink

    public init(inputs: ConfigInputs, output: CommandOutput, stderr: LogSink) {
        self.inputs = inputs
        self.output = output
        self.stderr = stderr
    }

    /// `arguments` exclude the program name. Before returning the exit code it waits for S3 multipart aborts a
    /// dropped writer left running, so a failed command never exits with an upload open in the bucket.
    public func run(arguments: [String]) async -> Int32 {
        let code = await dispatch(arguments: arguments)
        await S3HTTPClients.drainDetachedAborts()
        return code
    }

    private func dispatch(arguments: [String]) async -> Int32 {
        let table = CommandRegistry.table
        let config: ResolvedConfig
        do {
            config = try ConfigResolver(table: table, inputs: inputs).resolve(arguments: arguments)
        } catch {
            return report(PGVError.wrap(error), logger: nil)
        }
        registerSecrets(config)

        if config.command == "version" {
            output.line(PGVaultVersion.banner)
            return 0
        }
        if config.command == "help" || config.help {
            do {
                let words = config.command == "help" ? config.arguments : [config.command] + config.arguments
                output.sink.write(line: try HelpRenderer(table: table).render(words).trimmingTrailingNewline)
                return 0
            } catch {
                return report(PGVError.wrap(error), logger: nil)
            }
        }

        let logger = LoggingSetup.logger(config: config, definition: table.command(config.command),
                                         console: output.sink, stderr: stderr)
        for warning in config.warnings { logger.warning("\(warning)") }

        guard let commandType = CommandRegistry.command(named: config.command) else {
            return report(PGVError(.notImplemented, "command '\(config.command)' is not implemented yet",
                                   hint: "pgvault \(PGVaultVersion.current) implements: "
                                       + CommandRegistry.commands.map { $0.name }.sorted().joined(separator: ", ")),
                          logger: logger)
        }

        let started = monotonicMilliseconds()
        let lifecycle: Logger.Level = table.command(config.command)?.quietLifecycle == true ? .debug : .notice
        let begin = "\(config.command) command begin \(PGVaultVersion.current): \(config.redactedDescription)"
        logger.log(level: lifecycle, "\(begin)")
        let context = CommandContext(config: config, logger: logger, output: output, execId: Self.newExecId(),
                                     environment: inputs.environment)
        do {
            let code = try await commandType.init().run(context)
            logger.log(level: lifecycle,
                       "\(config.command) command end: completed successfully (\(monotonicMilliseconds() - started)ms)")
            return code
        } catch {
            let failure = PGVError.wrap(error)
            let code = report(failure, logger: logger)
            logger.log(level: lifecycle, "\(config.command) command end: aborted with exception [\(failure.code)]")
            return code
        }
    }

    /// Logs (or, before logging exists, prints) the error and returns its exit code.
    private func report(_ error: PGVError, logger: Logger?) -> Int32 {
        var text = error.description
        if let hint = error.hint { text += "\nHINT: \(hint)" }
        if let logger {
            logger.error("\(text)")
        } else {
            stderr.write(line: SecretRedactor.shared.scrub(error.report))
        }
        return error.code.rawValue
    }

    private func registerSecrets(_ config: ResolvedConfig) {
        for (key, resolved) in config.values where config.table.option(key.name)?.secure == true {
            if case .string(let secret) = resolved.value { SecretRedactor.shared.register(secret) }
        }
    }

    /// `<pid>-<8 random hex>` like pgBackRest's exec-id.
    static func newExecId() -> String {
        let random = UInt32.random(in: 0...UInt32.max)
        let hex = String(random, radix: 16)
        return "\(getpid())-" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    private func monotonicMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}

extension String {
    var trimmingTrailingNewline: String {
        hasSuffix("\n") ? String(dropLast()) : self
    }
}
