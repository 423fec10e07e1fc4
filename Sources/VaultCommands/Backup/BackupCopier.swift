import Logging
import VaultCore
import VaultPostgres
import VaultRepository

/// Runs the file jobs of a backup in parallel (reference §5 step 10): at most `processMax` jobs at once in a task
/// group, largest files first, the stage work on a `BlockingPool` of `processMax` threads. Each result is logged
/// (DETAIL "backup file …") and merged into the manifest by the single consumer loop, which also saves the
/// in-progress manifest every `saveInterval` bytes and updates the lock's progress.
struct BackupCopier {
    let job: BackupFileJob
    let processMax: Int
    let logger: Logger
    /// Absolute source path of a manifest name, for log lines.
    let displayPath: @Sendable (String) -> String
    let saveInterval: UInt64
    /// Saves the in-progress manifest (`backup.manifest.copy`).
    let save: @Sendable (Manifest) async throws -> Void
    let progress: @Sendable (Double) -> Void
    /// Where the live progress line goes on a terminal (`ProgressReporter`); nil logs the 10% steps only.
    var output: CommandOutput? = nil
    /// Checks the database session between files (online backups: `SELECT 1`, as pgBackRest pings during the copy),
    /// at most every `keepAliveInterval` seconds of the monotonic clock: when the cluster stopped or its backend died,
    /// the backup fails then with the query's error (057) instead of copying on to fail at backup stop.
    var keepAlive: (@Sendable () async throws -> Void)? = nil
    var keepAliveInterval: Double = 1

    /// Page-checksum warnings collected, in the order found.
    struct Summary {
        var copiedSize: UInt64 = 0
        var warnings = 0
    }

    func run(_ inputs: [BackupFileJob.Input], sizes: [String: UInt64], manifest: inout Manifest) async throws -> Summary {
        let total = inputs.reduce(UInt64(0)) { $0 + (sizes[$1.name] ?? 0) }
        var summary = Summary()
        let indexByName = Dictionary(manifest.files.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        var missing: Set<String> = []
        var done: UInt64 = 0
        var sinceSave: UInt64 = 0
        let job = self.job
        var lastKeepAlive = BackupWalWait.now()
        var reporter = ProgressReporter(command: "backup", totalBytes: total, totalFiles: inputs.count, output: output,
                                        logger: logger)
        defer { reporter.finish() }
        try await withThrowingTaskGroup(of: BackupFileJob.Result.self) { group in
            var pending = inputs[...]
            for _ in 0..<max(1, processMax) {
                guard let input = pending.popFirst() else { break }
                group.addTask { try await job.run(input) }
            }
            while let result = try await group.next() {
                if let input = pending.popFirst() { group.addTask { try await job.run(input) } }
                done += sizes[result.name] ?? result.size
                sinceSave += result.size
                guard let index = indexByName[result.name] else { continue }
                if result.outcome == .missing { missing.insert(result.name) }
                record(result, at: index, into: &manifest, done: done, total: total, summary: &summary)
                progress(total == 0 ? 100 : Double(done) * 100 / Double(total))
                reporter.advance(bytes: sizes[result.name] ?? result.size)
                if let keepAlive, BackupWalWait.now() - lastKeepAlive >= keepAliveInterval {
                    try await keepAlive()
                    lastKeepAlive = BackupWalWait.now()
                }
                if sinceSave >= saveInterval && !pending.isEmpty {
                    sinceSave = 0
                    try await save(manifest)
                }
            }
        }
        manifest.files.removeAll { missing.contains($0.name) }
        return summary
    }

    private func record(_ result: BackupFileJob.Result, at index: Int, into manifest: inout Manifest, done: UInt64,
                        total: UInt64, summary: inout Summary) {
        let path = displayPath(result.name)
        let size = "(\(BackupSizeFormat.render(result.size)), \(BackupSizeFormat.percent(done, of: total))%)"
        switch result.outcome {
        case .missing:
            logger.info("skip file removed by database \(path)")
            return
        case .matched:
            logger.info("match file from prior backup \(path) \(size) checksum \(result.checksum)")
            return
        case .resumed:
            summary.copiedSize += result.size
            logger.info("checksum resumed file \(path) \(size) checksum \(result.checksum)")
        case .copied:
            summary.copiedSize += result.size
            let checksum = result.size > 0 ? " checksum \(result.checksum)" : ""
            logger.info("backup file \(path) \(size)\(checksum)")
        }
        var file = manifest.files[index]
        file.reference = nil
        file.size = result.size
        file.checksum = result.checksum
        file.repoSize = result.repoSize
        file.repoChecksum = result.repoChecksum
        file.bundleId = nil
        file.bundleOffset = 0
        file.checksumPage = nil
        file.checksumPageError = nil
        if let page = result.pageChecksum {
            file.checksumPage = page.valid
            if !page.aligned {
                summary.warnings += 1
                logger.warning("page misalignment in file \(path): file size \(result.size) is not divisible by page size \(PageChecksum.pageSize)")
            } else if !page.failingBlocks.isEmpty {
                summary.warnings += 1
                let ranges = page.failingRanges
                file.checksumPageError = .array(ranges.map { range in
                    range.lowerBound == range.upperBound ? JsonValue.uint(UInt64(range.lowerBound))
                        : JsonValue.array([.uint(UInt64(range.lowerBound)), .uint(UInt64(range.upperBound))])
                })
                let text = ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
                    .joined(separator: ", ")
                let plural = page.failingBlocks.count > 1 ? "s" : ""
                logger.warning("invalid page checksum\(plural) found in file \(path) at page\(plural) \(text)")
            }
        }
        manifest.files[index] = file
    }
}
