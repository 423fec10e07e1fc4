import VaultConfig
import VaultCore
import VaultStorage

/// `archive-push:async PGWAL`: the detached worker of asynchronous archive-push, holding the archive lock.
///
/// Each pass lists `PGWAL/archive_status/*.ready` and the spool's `out` (`ArchivePushAsyncPlan.processList`: stale
/// status files removed, WAL with an `.ok` skipped), then pushes the rest, oldest first, `process-max` at a time
/// through `ArchivePushOperation` (the synchronous push of one file). `<wal>.ok` is written only after `push`
/// returned, that is once the file is durable in every repository; a failure writes `<wal>.error`
/// (`<code>\n<message>`) for the foreground to raise. Passes repeat while PostgreSQL marks new WAL ready; a file
/// that failed is not retried in the same run (the next foreground starts a new worker). With
/// `archive-push-queue-max` exceeded, every waiting file is dropped: a WARN and an `.ok` carrying it, so PostgreSQL
/// recycles the WAL. A failure outside one file (stop file, no valid repository) is written to `global.error`.
struct ArchivePushAsyncWorker: Sendable {
    let context: CommandContext

    func run() async throws -> Int32 {
        let config = context.config
        guard let walDirectory = config.arguments.first, config.arguments.count == 1 else {
            throw PGVError(.parameterRequired, "WAL path to push required")
        }
        let stanza = context.stanza ?? ""
        let spool = try ArchiveSpool(spoolPath: config.string("spool-path") ?? "/var/spool/pgbackrest", stanza: stanza)
        let lock = try CommandLock.acquire(lockPath: StopFileCheck.lockPath(context), stanza: stanza, kind: .archive,
                                           execId: context.execId)
        defer { lock.release() }
        do {
            try await StopFileCheck.verify(context)
            try await spool.create(.out)
            try await pushUntilIdle(walDirectory: walDirectory, spool: spool)
        } catch {
            let failure = PGVError.wrap(error)
            try? await spool.writeError(.out, walName: nil, failure)
            throw failure
        }
        return 0
    }

    private func pushUntilIdle(walDirectory: String, spool: ArchiveSpool) async throws {
        let config = context.config
        let pgStorage = try PosixStorage(root: walDirectory)
        let processMax = max(1, config.int("process-max") ?? 1)
        let queueMax = config.size("archive-push-queue-max").map { UInt64(max(0, $0)) }
        var operation: ArchivePushOperation? = nil
        var attempted: Set<String> = []
        while true {
            let ready = ArchivePushAsyncPlan.readyNames(try await pgStorage.list("archive_status").map(\.name))
            let plan = ArchivePushAsyncPlan.processList(ready: ready, spoolOut: try await spool.list(.out),
                                                        keepErrors: !attempted.isEmpty)
            for name in plan.remove { try await spool.remove(.out, name) }
            let batch = plan.push.filter { !attempted.contains($0) }
            if batch.isEmpty {
                if attempted.isEmpty { context.logger.notice("no WAL files to process") }
                return
            }
            attempted.formUnion(batch)
            context.logger.notice("\(ArchivePushAsyncPlan.startMessage(batch))")

            if let queueMax {
                var sizes: [UInt64] = []
                for name in batch { sizes.append(try await pgStorage.info(name)?.size ?? 0) }
                if ArchivePushAsyncPlan.exceedsQueue(sizes: sizes, queueMax: queueMax) {
                    for name in batch {
                        let warning = ArchivePushAsyncPlan.dropWarning(walName: name, queueMax: queueMax)
                        try await spool.writeOk(.out, walName: name, warning: warning)
                        context.logger.warning("\(warning)")
                    }
                    continue
                }
            }

            if operation == nil { operation = try await ArchivePushOperation.prepare(context) }
            try await push(batch, operation: operation!, walDirectory: walDirectory, spool: spool,
                           processMax: processMax)
        }
    }

    /// Pushes `batch` with at most `processMax` files in flight and writes each file's status once it is done.
    private func push(_ batch: [String], operation: ArchivePushOperation, walDirectory: String, spool: ArchiveSpool,
                      processMax: Int) async throws {
        let logger = context.logger
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func addNext() {
                let name = batch[next]
                next += 1
                group.addTask {
                    do {
                        let warnings = try await operation.push(walPath: walDirectory + "/" + name)
                        for warning in warnings { logger.warning("\(warning)") }
                        try await spool.writeOk(.out, walName: name,
                                                warning: warnings.isEmpty ? nil : warnings.joined(separator: "\n"))
                        logger.info("pushed WAL file '\(name)' to the archive")
                    } catch {
                        let failure = PGVError.wrap(error)
                        let text = "could not push WAL file '\(name)' to the archive (will be retried): "
                            + "[\(failure.code.rawValue)] \(failure.message)"
                        logger.warning("\(text)")
                        try await spool.writeError(.out, walName: name, failure)
                    }
                }
            }
            while next < batch.count && next < processMax { addNext() }
            while try await group.next() != nil {
                if next < batch.count { addNext() }
            }
        }
    }
}
