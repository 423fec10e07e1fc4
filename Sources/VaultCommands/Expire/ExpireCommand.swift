import Glibc
import VaultCore
import VaultRepository

/// `expire`: removes backups and WAL beyond each repository's retention (pgBackRest 2.45 `cmdExpire`, reference
/// §8). Checks the stop files (062), takes the stanza's backup lock (050), then expires every configured
/// repository with its own retention, or only `--repo`. A failing repository is logged as
/// `ERROR: [NNN]: repoN: …` and the others still run; any failure ends in CommandError (104) as in pgBackRest.
/// `--set` expires one backup and its dependents instead of applying retention; `--dry-run` logs every removal
/// with a `[DRY-RUN]` prefix and changes nothing.
public struct ExpireCommand: VaultCommand {
    public static let name = "expire"

    public init() {}

    public func run(_ context: CommandContext) async throws -> Int32 {
        guard let stanza = context.stanza else {
            throw PGVError(.optionRequired, "expire command requires option: stanza")
        }
        try await StopFileCheck.verify(context)
        let lock = try CommandLock.acquire(lockPath: StopFileCheck.lockPath(context), stanza: stanza, kind: .backup,
                                           execId: context.execId)
        defer { lock.release() }
        try await Self.expire(context, logConfigWarnings: true)
        return 0
    }

    /// Expires the selected repositories. The caller holds the backup lock: `expire` itself, or `backup` when
    /// `expire-auto` runs it after a successful backup.
    public static func expire(_ context: CommandContext, logConfigWarnings: Bool = false) async throws {
        let config = context.config
        let dryRun = config.bool("dry-run")
        let adhocLabel = config.string("set")
        if let adhocLabel, !BackupLabel.isValid(adhocLabel) {
            throw PGVError(.optionInvalidValue, "'\(adhocLabel)' is not a valid backup label format")
        }
        let configured = config.repoIndexes.isEmpty ? [1] : config.repoIndexes
        let indexes = config.int("repo").map { [$0] } ?? configured
        let log = ExpireLog(logger: context.logger, dryRun: dryRun)
        if logConfigWarnings {
            for index in configured {
                for warning in ExpireRetention(config.repo(index)).warnings { log.warning(warning) }
            }
        }

        var errors = 0
        var adhocFound = false
        for (position, index) in indexes.enumerated() {
            let label = "repo\(index)"
            do {
                let repository = try StanzaRepository.open(context, repo: index)
                let run = ExpireRun(repository: repository, retention: ExpireRetention(config.repo(index)),
                                    repoPath: config.repo(index).path, log: log, dryRun: dryRun,
                                    now: Int64(time(nil)))
                if try await run.execute(adhocLabel: adhocLabel) { adhocFound = true }
                if let adhocLabel, !adhocFound, position == indexes.count - 1 {
                    log.warning("backup \(adhocLabel) does not exist\nHINT: run the info command and confirm the backup is listed")
                }
            } catch {
                let failure = PGVError.wrap(error)
                let message = failure.message.hasPrefix(label + ":") ? failure.message : "\(label): \(failure.message)"
                log.error(code: failure.code.description, message + (failure.hint.map { "\nHINT: \($0)" } ?? ""))
                errors += 1
            }
        }
        if errors > 0 {
            throw PGVError(.command, "expire command encountered \(errors) error(s), check the log file for details")
        }
    }
}
