import Glibc
import VaultCore

/// archive-push with `archive-async=y`, the part PostgreSQL runs: it only reads the spool, as pgBackRest 2.45 does.
///
/// Each poll reads `out/<wal>.ok` (exit 0; a warning inside is logged), else `out/<wal>.error` or `global.error`
/// (raised with its code, except on the first poll, so a new worker can clear an old error). While there is no
/// answer and no worker holds the archive lock, the stale errors of this file are removed and the worker is started
/// (`AsyncWorkerLauncher`) once. No answer within `archive-timeout` is ArchiveTimeoutError [082].
struct ArchivePushAsyncForeground: Sendable {
    let context: CommandContext
    /// Absolute path of the WAL file PostgreSQL asked for.
    let walPath: String

    /// Poll interval while waiting for the worker.
    static let pollMicroseconds: UInt32 = 20_000

    func run() async throws -> Int32 {
        let config = context.config
        let stanza = context.stanza ?? ""
        let (walDirectory, walName) = ArchiveCommandPath.split(walPath)
        let spool = try ArchiveSpool(spoolPath: config.string("spool-path") ?? "/var/spool/pgbackrest", stanza: stanza)
        let timeout = config.time("archive-timeout") ?? 60
        let deadline = AsyncPollClock.now() + timeout
        var throwOnError = false
        var worker: pid_t? = nil
        repeat {
            switch try await spool.status(.out, walName: walName) {
            case .ok(let warning):
                if let warning { context.logger.warning("\(warning)") }
                context.logger.notice("pushed WAL file '\(walName)' to the archive asynchronously")
                return 0
            case .error(let error):
                if throwOnError { throw error }
            case nil:
                break
            }
            if worker == nil, let lock = try? CommandLock.acquire(
                lockPath: StopFileCheck.lockPath(context), stanza: stanza, kind: .archive, execId: context.execId) {
                try await spool.clearErrors(.out, walName: walName)
                lock.release()
                let arguments = AsyncWorkerLauncher.arguments(config: config, command: "archive-push", role: "async",
                                                              parameters: [walDirectory])
                worker = try AsyncWorkerLauncher.launch(executable: RestoreCommandLine.currentExecutable(),
                                                        arguments: arguments)
            }
            throwOnError = true
            if let worker { AsyncWorkerLauncher.reap(worker) }
            try await AsyncPollClock.pause(microseconds: Self.pollMicroseconds)
        } while AsyncPollClock.now() < deadline
        throw PGVError(.archiveTimeout, "unable to push WAL file '\(walName)' to the archive asynchronously after "
                       + "\(AsyncPollClock.seconds(timeout)) second(s)")
    }
}

/// Monotonic time and pauses for the async foregrounds' polling.
enum AsyncPollClock {
    /// Seconds on `CLOCK_MONOTONIC`.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Sleeps without holding a cooperative thread (`Task.sleep`).
    static func pause(microseconds: UInt32) async throws {
        try await Task.sleep(nanoseconds: UInt64(microseconds) * 1000)
    }

    /// `60` or `0.5`, as pgBackRest prints archive-timeout.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int64(value)) : String(value)
    }
}
