import VaultConfig
import VaultCore
import VaultStorage

/// `archive-push WALPATH`: PostgreSQL's `archive_command` (`%p`), run once per WAL segment.
///
/// Synchronous (default): stop files (062), then `ArchivePushOperation` checks the repositories and pushes the file
/// to every one of them; any failure fails the command so PostgreSQL retries. `archive-push-queue-max`: when the WAL
/// PostgreSQL has marked ready exceeds it, the file is dropped with a warning and exit 0, as pgBackRest does.
///
/// With `archive-async=y` the command waits for the spool instead (`ArchivePushAsyncForeground`), and the detached
/// worker started as `archive-push:async` (`ArchivePushAsyncWorker`) does the pushing.
///
/// Start-up stays cheap: no database connection, no lock in the synchronous mode, one info file and one directory
/// listing per repository.
public struct ArchivePushCommand: VaultCommand {
    public static let name = "archive-push"

    public init() {}

    public func run(_ context: CommandContext) async throws -> Int32 {
        let config = context.config
        if config.role == "async" { return try await ArchivePushAsyncWorker(context: context).run() }
        guard let argument = config.arguments.first else {
            throw PGVError(.parameterRequired, "WAL segment to push required")
        }
        guard context.stanza != nil else {
            throw PGVError(.optionRequired, "\(Self.name) command requires option: stanza")
        }
        try await StopFileCheck.verify(context)
        let walPath = try ArchiveCommandPath.absolute(argument, pgPath: config.pg(1).path, command: Self.name)
        if config.bool("archive-async") {
            return try await ArchivePushAsyncForeground(context: context, walPath: walPath).run()
        }

        let (walDirectory, walName) = ArchiveCommandPath.split(walPath)
        if let queueMax = config.size("archive-push-queue-max").map({ UInt64(max(0, $0)) }),
           try await readyQueueExceeds(queueMax, walDirectory: walDirectory) {
            context.logger.warning("\(ArchivePushAsyncPlan.dropWarning(walName: walName, queueMax: queueMax))")
            return 0
        }
        let operation = try await ArchivePushOperation.prepare(context)
        for warning in try await operation.push(walPath: walPath) { context.logger.warning("\(warning)") }
        context.logger.notice("pushed WAL file '\(walName)' to the archive")
        return 0
    }

    /// True when the WAL files marked ready in `<walDirectory>/archive_status` together exceed `queueMax` bytes.
    private func readyQueueExceeds(_ queueMax: UInt64, walDirectory: String) async throws -> Bool {
        let storage = try PosixStorage(root: walDirectory)
        let ready = ArchivePushAsyncPlan.readyNames(try await storage.list("archive_status").map(\.name))
        var sizes: [UInt64] = []
        for name in ready { sizes.append(try await storage.info(name)?.size ?? 0) }
        return ArchivePushAsyncPlan.exceedsQueue(sizes: sizes, queueMax: queueMax)
    }
}
