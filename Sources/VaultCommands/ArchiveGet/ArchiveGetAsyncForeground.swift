import Glibc
import VaultCore
import VaultPostgres
import VaultStorage

/// archive-get with `archive-async=y` for a WAL segment, the part PostgreSQL runs (pgBackRest 2.45's protocol).
///
/// Each poll: `in/<seg>` present is moved to the destination (`rename(2)`, exit 0); `in/<seg>.ok` without the
/// segment means "not in the archive" (exit 1), except on the first poll with `archive-missing-retry`, when a new
/// worker looks again; `in/<seg>.error` or `global.error` is raised with its code (not on the first poll). Unless
/// the queue is still at least half full, a worker is started once when the archive lock is free: the queue is
/// trimmed to the wanted window (`ArchiveGetAsyncPlan.queue`: files older than the request go) and the worker is
/// given the segments missing from it. No answer within `archive-timeout` is ArchiveTimeoutError [082].
struct ArchiveGetAsyncForeground: Sendable {
    let context: CommandContext
    let walName: String
    /// Absolute destination path (`%p`).
    let destination: String

    func run() async throws -> Int32 {
        let config = context.config
        let stanza = context.stanza ?? ""
        let spool = try ArchiveSpool(spoolPath: config.string("spool-path") ?? "/var/spool/pgbackrest", stanza: stanza)
        let queueMax = UInt64(max(0, config.size("archive-get-queue-max") ?? 128 << 20))
        let missingRetryOption = config.bool("archive-missing-retry")
        let timeout = config.time("archive-timeout") ?? 60
        let deadline = AsyncPollClock.now() + timeout
        var first = true
        var found = false
        var foundOk = false
        var queueFull = false
        var worker: pid_t? = nil
        repeat {
            found = try await spool.storage.exists(spool.path(.in, walName))
            let missingRetry = first && missingRetryOption
            switch try await spool.status(.in, walName: walName) {
            case .ok(let warning):
                if let warning, found || !missingRetry { context.logger.warning("\(warning)") }
                try await spool.remove(.in, walName + ArchiveSpool.okExtension)
                if !found && !missingRetry { foundOk = true }
            case .error(let error):
                if !first { throw error }
            case nil:
                break
            }
            if foundOk { break }
            if found {
                try await spool.moveIn(walName: walName, to: destination)
                context.logger.notice("found \(walName) in the archive asynchronously")
                let queued = try await spool.list(.in).filter { WalSegmentName.isSegment($0) }.count
                if queued > 0 {
                    let (directory, name) = ArchiveCommandPath.split(destination)
                    let size = try await PosixStorage(root: directory).info(name)?.size ?? 0
                    queueFull = ArchiveGetAsyncPlan.queueFull(segmentsQueued: queued, segmentSize: size,
                                                              queueMax: queueMax)
                }
            }
            if worker == nil && (!found || !queueFull), let lock = try? CommandLock.acquire(
                lockPath: StopFileCheck.lockPath(context), stanza: stanza, kind: .archive, execId: context.execId) {
                let control = try await ClusterTarget.from(context).readControl()
                try await spool.create(.in)
                let plan = ArchiveGetAsyncPlan.queue(walName: walName, found: found, queueMax: queueMax,
                                                     segmentSize: control.walSegmentSize,
                                                     actual: try await spool.list(.in))
                for name in plan.remove { try await spool.remove(.in, name) }
                try await spool.clearErrors(.in, walName: walName)
                lock.release()
                if !plan.need.isEmpty {
                    let arguments = AsyncWorkerLauncher.arguments(config: config, command: "archive-get",
                                                                  role: "async", parameters: plan.need)
                    worker = try AsyncWorkerLauncher.launch(executable: RestoreCommandLine.currentExecutable(),
                                                            arguments: arguments)
                }
            }
            if found { return 0 }
            first = false
            if let worker { AsyncWorkerLauncher.reap(worker) }
            try await AsyncPollClock.pause(microseconds: 20_000)
        } while AsyncPollClock.now() < deadline
        if foundOk {
            context.logger.notice("unable to find \(walName) in the archive asynchronously")
            return 1
        }
        throw PGVError(.archiveTimeout, "unable to get WAL file '\(walName)' from the archive asynchronously after "
                       + "\(AsyncPollClock.seconds(timeout)) second(s)",
                       hint: "check '\(logFile(stanza))' for errors.")
    }

    /// The worker's log file, named in the timeout hint.
    private func logFile(_ stanza: String) -> String {
        "\(context.config.string("log-path") ?? "/var/log/pgbackrest")/\(stanza)-archive-get-async.log"
    }
}
