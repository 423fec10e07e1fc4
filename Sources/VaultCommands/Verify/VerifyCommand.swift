import Glibc
import Logging
import VaultCore
import VaultRepository
import VaultStorage

/// `verify` (reference §9): checks one repository (`--repo`, else the first configured) of the stanza.
///
/// archive.info and backup.info are loaded with their copies (each must load and agree) and must describe the same
/// database history; every WAL segment under each archive id of the history is listed; each backup directory (and
/// each backup.info entry) has its manifest and copy loaded. `VerifyPlan` decides what to read, `VerifyFileJob`s
/// check the files in parallel over `process-max` (largest first, stage work on a `BlockingPool` of that many
/// threads), and the resulting `VerifyReport` is logged at INFO and written as `--output=text` (pgBackRest's layout)
/// or `--output=json`. `--set` verifies one backup (`latest`: the newest) and the WAL of its start..stop range.
/// Unlike 2.45, any error found ends the command with `.verifyFailed` (202) after the report is out.
public struct VerifyCommand: VaultCommand {
    public static let name = "verify"
    public init() {}

    public func run(_ context: CommandContext) async throws -> Int32 {
        let config = context.config
        let index = config.int("repo") ?? config.repoIndexes.first ?? 1
        let repository = try StanzaRepository.open(context, repo: index)
        let report = try await verify(repository, set: config.string("set"), context: context)
        let text = VerifyTextRenderer.render(report, verbose: config.bool("verbose"))
        if !text.isEmpty { context.logger.notice("\(text)") }
        switch config.string("output") {
        case "json": context.output.write(VerifyJsonRenderer.render(report))
        case "text": if !text.isEmpty { context.output.line(text) }
        default: break
        }
        let status = VerifyStatusFile(ok: report.errorCount == 0, errorCount: report.errorCount, timestamp: Int64(time(nil)))
        do {
            try await status.write(to: repository)
        } catch {
            context.logger.warning("unable to store the verify status for metrics: \(PGVError.wrap(error).message)")
        }
        guard report.errorCount == 0 else {
            throw PGVError(.verifyFailed, "verify found \(report.errorCount) error(s) in stanza '\(repository.stanza)'",
                           hint: "see the verify report (--output=text or --output=json) for the files concerned")
        }
        return 0
    }

    /// Builds the report; throws only for a bad `--set` (075) or a repository that cannot be listed.
    func verify(_ repository: StanzaRepository, set: String?, context: CommandContext) async throws -> VerifyReport {
        let logger = context.logger
        var report = VerifyReport(stanza: repository.stanza, repo: repository.index)
        let loader = VerifyDocumentLoader(store: repository.store)
        let layout = repository.layout
        let archive = await loader.load(ArchiveInfo.self, from: layout.archiveInfoPath, passphrase: repository.cipherPass)
        let backup = await loader.load(BackupInfo.self, from: layout.backupInfoPath, passphrase: repository.cipherPass)
        report.infoFiles = archive.problems + backup.problems
        for warning in archive.warnings + backup.warnings { logger.warning("\(warning)") }
        if backup.value == nil { report.problems.append("No usable backup.info file") }
        if archive.value == nil { report.problems.append("No usable archive.info file") }
        guard let archiveInfo = archive.value, let backupInfo = backup.value else { return report }
        if let mismatch = VerifyPlan.historyMismatch(archive: archiveInfo, backup: backupInfo) {
            report.problems.append(mismatch)
            return report
        }

        let directories = try await repository.storage.list(layout.backupPath)
            .filter { $0.type == .path && BackupLabel.isValid($0.name) }.map(\.name)
        let labels = Set(directories + backupInfo.labels).sorted { ByteOrder.precedes($0, $1) }
        let selected = try VerifyPlan.selectLabels(labels, backupInfoLabels: backupInfo.labels, set: set)
        var backups: [VerifyPlan.BackupFacts] = []
        for label in selected {
            backups.append(await backupFacts(label, repository: repository, loader: loader, backupInfo: backupInfo,
                                             archiveInfo: archiveInfo, logger: logger))
        }
        let archives = try await listArchives(repository, archiveInfo: archiveInfo, logger: logger)
        let plan = VerifyPlan(archives: archives, archiveCipherPass: CipherPassphrases.forArchive(archiveInfo),
                              backups: backups, layout: layout, restrictWal: set != nil)
        let processMax = max(1, context.config.int("process-max") ?? 1)
        let results = try await runChecks(plan.checks, storage: repository.storage, processMax: processMax, logger: logger,
                                          output: context.output)
        report = plan.report(results: results, base: report)
        for archiveResult in report.archives {
            for range in archiveResult.ranges {
                logger.info("archiveId: \(archiveResult.archiveId), wal start: \(range.start), wal stop: \(range.stop)")
            }
        }
        return report
    }

    /// The manifest state of one backup: a directory outside backup.info without `backup.manifest` is a backup in
    /// progress (skipped); a manifest must name its own label and a database of the history.
    private func backupFacts(_ label: String, repository: StanzaRepository, loader: VerifyDocumentLoader,
                             backupInfo: BackupInfo, archiveInfo: ArchiveInfo, logger: Logger) async -> VerifyPlan.BackupFacts {
        let registered = backupInfo.backup(label) != nil
        let loaded = await loader.load(Manifest.self, from: repository.layout.manifestPath(label),
                                       passphrase: CipherPassphrases.forManifests(backupInfo))
        for warning in loaded.warnings { logger.warning("\(warning)") }
        if loaded.bothMissing {
            if registered { logger.info("manifest missing for '\(label)' - backup may have expired") }
            return VerifyPlan.BackupFacts(label: label, state: registered ? .missing : .inProgress)
        }
        if !registered && loaded.mainMissing {
            logger.notice("backup '\(label)' appears to be in progress, skipping")
            return VerifyPlan.BackupFacts(label: label, state: .inProgress)
        }
        guard let manifest = loaded.value else {
            return VerifyPlan.BackupFacts(label: label, state: .unusable, manifestProblems: loaded.problems)
        }
        if let problem = VerifyPlan.manifestProblem(manifest, label: label, archiveInfo: archiveInfo,
                                                    path: repository.layout.manifestPath(label)) {
            return VerifyPlan.BackupFacts(label: label, state: .unusable, manifestProblems: loaded.problems + [problem])
        }
        return VerifyPlan.BackupFacts(label: label, state: .loaded(manifest), manifestProblems: loaded.problems)
    }

    /// Every archived segment (`<16 hex>/<segment>-<sha1>[.ext]`) under each archive id of the history; archive id
    /// directories outside the history are logged and left alone, as pgBackRest does.
    private func listArchives(_ repository: StanzaRepository, archiveInfo: ArchiveInfo,
                              logger: Logger) async throws -> [VerifyPlan.ArchiveListing] {
        let layout = repository.layout
        let historyIds = archiveInfo.history.map(\.archiveId)
        let present = try await repository.storage.list(layout.archivePath).filter { $0.type == .path }.map(\.name)
        let stray = present.filter { VerifyPlan.isArchiveId($0) && !historyIds.contains($0) }.sorted { ByteOrder.precedes($0, $1) }
        if !stray.isEmpty {
            logger.notice("archiveIds '\(stray.joined(separator: ", "))' are not in the archive.info history list")
        }
        var listings: [VerifyPlan.ArchiveListing] = []
        for archiveId in historyIds where !listings.contains(where: { $0.archiveId == archiveId }) {
            let base = layout.archiveIdPath(archiveId)
            let files = try await repository.storage.listRecursive(base).compactMap { entry -> VerifyPlan.WalFile? in
                guard entry.type == .file else { return nil }
                let parts = entry.name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, InfoCollector.isWalDirectory(parts[0]),
                      let name = WalArchiveName(parsing: parts[1]), name.segment.hasPrefix(parts[0]) else { return nil }
                return VerifyPlan.WalFile(path: base + "/" + entry.name, name: name, storedSize: entry.size)
            }
            listings.append(VerifyPlan.ArchiveListing(archiveId: archiveId, files: files))
        }
        return listings
    }

    /// Runs the checks, at most `processMax` at a time in the given (largest first) order; logs each bad file at
    /// INFO as pgBackRest does (`invalid checksum '<path>'`).
    private func runChecks(_ checks: [VerifyPlan.FileCheck], storage: any Storage, processMax: Int,
                           logger: Logger, output: CommandOutput) async throws -> [String: VerifyFileJob.Result] {
        let pool = BlockingPool(threads: processMax)
        var results: [String: VerifyFileJob.Result] = [:]
        var reporter = ProgressReporter(command: "verify", totalBytes: checks.reduce(0) { $0 + $1.weight },
                                        totalFiles: checks.count, output: output, logger: logger)
        defer { reporter.finish() }
        await withTaskGroup(of: (VerifyPlan.FileCheck, VerifyFileJob.Result).self) { group in
            var pending = checks.makeIterator()
            func launch() -> Bool {
                guard let check = pending.next() else { return false }
                let job = VerifyFileJob(check: check, storage: storage, pool: pool)
                group.addTask { (check, await job.run()) }
                return true
            }
            for _ in 0..<processMax where !launch() { break }
            while let (check, result) = await group.next() {
                results[check.key] = result
                reporter.advance(bytes: check.weight)
                if case .invalid(let reason, let detail) = result.outcome {
                    logger.notice("\(reason.logText) '\(check.path)': \(detail)")
                }
                _ = launch()
            }
        }
        try await pool.shutdown()
        return results
    }
}
