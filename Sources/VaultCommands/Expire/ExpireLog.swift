import Logging

/// The expire command's log lines at pgBackRest's levels (INFO through `notice`, DETAIL through `info`), each
/// prefixed with `[DRY-RUN] ` under `--dry-run` as pgBackRest prefixes every line then.
struct ExpireLog: Sendable {
    let logger: Logger
    let dryRun: Bool

    private func text(_ message: String) -> Logger.Message { "\(dryRun ? "[DRY-RUN] " : "")\(message)" }

    func info(_ message: String) { logger.notice(text(message)) }
    func detail(_ message: String) { logger.info(text(message)) }
    func warning(_ message: String) { logger.warning(text(message)) }
    /// `ERROR: [055]: [DRY-RUN] repo1: …`: the code comes before the prefix, as in pgBackRest.
    func error(code: String, _ message: String) { logger.error("[\(code)]: \(text(message))") }
}
