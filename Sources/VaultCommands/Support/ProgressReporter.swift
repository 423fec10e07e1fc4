import Logging

/// Shows a `ProgressMeter` as a command runs: on a terminal, a line redrawn in place (`\r` then erase-line
/// `ESC[K`, through `CommandOutput`) and ended with a newline by `finish`; off a terminal, one INFO log line (`logger.notice`)
/// (`<command> progress 30% (…)`) each time a 10% step is reached. Used from the single consumer loop of a command's
/// file jobs; not shared between tasks.
struct ProgressReporter {
    private var meter: ProgressMeter
    private let output: CommandOutput?
    private let logger: Logger
    private let command: String
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant
    private var drawn = false

    /// `output` nil (or not a terminal) gives log lines only.
    init(command: String, totalBytes: UInt64, totalFiles: Int, output: CommandOutput?, logger: Logger) {
        origin = clock.now
        meter = ProgressMeter(totalBytes: totalBytes, totalFiles: totalFiles, start: 0)
        self.output = output
        self.logger = logger
        self.command = command
    }

    var percent: Double { meter.percent }

    private var terminal: CommandOutput? { output.flatMap { $0.isTerminal ? $0 : nil } }

    private var now: Double {
        let elapsed = clock.now - origin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Counts one finished file of `bytes`.
    mutating func advance(bytes: UInt64, files: Int = 1) {
        let now = self.now
        let update = meter.advance(bytes: bytes, files: files, now: now)
        if let terminal {
            if update.redraw {
                terminal.write("\r\u{1B}[K" + meter.line(now: now))
                drawn = true
            }
        } else if let step = update.step {
            logger.notice("\(command) progress \(step)% (\(meter.line(now: now)))")
        }
    }

    /// Ends the terminal line.
    mutating func finish() {
        if drawn, let terminal {
            terminal.write("\n")
            drawn = false
        }
    }
}
