import VaultCore
import VaultRepository
import VaultStorage

/// The expire of one repository, in an order that keeps the repository consistent if it stops at any point:
/// 1. backup.info is loaded with reconstruction and the plan decides which sets expire;
/// 2. backup.info (and `.copy`) is saved without them, so it never lists a set that is being deleted;
/// 3. each set directory backup.info does not list is deleted, newest first: `backup.manifest` and its copy go
///    first, so a half-deleted set never looks complete, then the directory;
/// 4. WAL no kept backup needs is removed per archive id (`ArchiveRangeRemoval`), then `backup.history` manifests.
/// Under `--dry-run` every step is logged and nothing is written or removed.
struct ExpireRun: Sendable {
    let repository: StanzaRepository
    let retention: ExpireRetention
    /// `repoN-path`, for the absolute path in "remove archive path" lines.
    let repoPath: String
    let log: ExpireLog
    let dryRun: Bool
    let now: Int64

    private var storage: any Storage { repository.storage }
    private var layout: RepositoryLayout { repository.layout }
    private var repo: String { repository.label }

    /// Returns true when `adhocLabel` was found (and expired) in this repository.
    func execute(adhocLabel: String?) async throws -> Bool {
        let (info, warnings) = try await BackupInfoReconstruction.reconstruct(
            try await repository.loadBackupInfo(), storage: storage, layout: layout, store: repository.store)
        for warning in warnings { log.warning("\(repo): \(warning)") }

        var found = false
        let plan: ExpirePlan
        if let adhocLabel {
            if info.backup(adhocLabel) != nil {
                found = true
                plan = try ExpirePlan.adhoc(backups: info.backups, label: adhocLabel, retention: retention)
                if let latest = plan.expiredLatest {
                    log.warning("\(repo): expiring latest backup \(latest) - the ability to perform point-in-time-recovery "
                                + "(PITR) may be affected\nHINT: non-default settings for '\(retention.optionName("archive"))'/"
                                + "'\(retention.optionName("archive-type"))' (even in prior expires) can cause gaps in the WAL.")
                }
            } else {
                plan = ExpirePlan(expired: [], remaining: info.backups, archiveRetention: retention.archive)
            }
        } else {
            plan = ExpirePlan.retention(backups: info.backups, retention: retention, now: now)
        }
        for expiry in plan.expired { log.info(expiry.logLine(repo: repo)) }

        var kept = info
        for label in plan.expiredLabels { kept.remove(label) }
        if !dryRun {
            try await repository.save(kept)
            if plan.expiredLatest != nil, let newest = kept.backups.last?.label,
               storage.capabilities.contains(.symlinks) {
                try await storage.remove(layout.latestLinkPath, errorOnMissing: false)
                try await storage.linkCreate(layout.latestLinkPath, destination: newest)
            }
        }

        try await removeSetDirectories(kept: kept, adhocLabel: adhocLabel)
        try await removeArchive(kept: kept, archiveRetention: plan.archiveRetention)
        try await removeHistory(kept: kept)
        return found
    }

    // MARK: backup sets

    private func removeSetDirectories(kept: BackupInfo, adhocLabel: String?) async throws {
        let onDisk = try await storage.list(layout.backupPath)
            .filter { $0.type == .path && BackupLabel.isValid($0.name) }.map(\.name)
            .sorted { ByteOrder.precedes($1, $0) }
        var resumable: ExpiredBackupDirectories.Resumable?
        if let newest = onDisk.first, try await !storage.exists(layout.manifestPath(newest)),
           try await storage.exists(layout.manifestCopyPath(newest)) {
            var prior: String?
            if ExpiredBackupDirectories.needsPrior(newest: newest, adhocLabel: adhocLabel) {
                prior = try? await repository.store.loadOne(Manifest.self, from: layout.manifestCopyPath(newest),
                                                            passphrase: kept.cipherPass).backup.prior
            }
            resumable = .init(label: newest, prior: prior)
        }
        let labels = ExpiredBackupDirectories.select(onDisk: onDisk, current: Set(kept.labels), resumable: resumable,
                                                     adhocLabel: adhocLabel)
        for label in labels {
            log.info("\(repo): remove expired backup \(label)")
            guard !dryRun else { continue }
            try await storage.remove(layout.manifestPath(label), errorOnMissing: false)
            try await storage.remove(layout.manifestCopyPath(label), errorOnMissing: false)
            try await storage.pathRemove(layout.setPath(label), recursive: true)
        }
    }

    // MARK: WAL

    private func removeArchive(kept: BackupInfo, archiveRetention: Int?) async throws {
        guard let archiveRetention else {
            if retention.fullType == .time {
                log.info("\(repo): time-based archive retention not met - archive logs will not be expired")
            } else {
                log.info("option '\(retention.optionName("archive"))' is not set - archive logs will not be expired")
            }
            return
        }
        guard ArchiveRetentionPlan.candidates(remaining: kept.backups, retention: archiveRetention,
                                              type: retention.archiveType) != nil else { return }
        let archiveInfo = try await repository.loadArchiveInfo()
        let archiveIds = try await storage.list(layout.archivePath)
            .filter { $0.type == .path && ArchiveRetentionPlan.isArchiveId($0.name) }.map(\.name)
        guard let plan = try ArchiveRetentionPlan.plan(
            remaining: kept.backups, retention: archiveRetention, type: retention.archiveType,
            archiveHistory: archiveInfo.history, archiveCurrentId: archiveInfo.currentId,
            backupHistory: kept.history, archiveIdsOnDisk: archiveIds) else { return }

        for item in plan.items {
            let idPath = layout.archiveIdPath(item.archiveId)
            switch item.action {
            case .keep:
                continue
            case .removeArchiveId:
                log.info("\(repo): remove archive path \(repoPath)/\(idPath)")
                if !dryRun { try await storage.pathRemove(idPath, recursive: true) }
            case .expire(let removal):
                for line in removal.rangeLines(repo: repo) { log.detail(line) }
                let entries = try await storage.list(idPath)
                let directories = entries.filter { $0.type == .path && ArchiveRangeRemoval.isWalDirectory($0.name) }
                    .map(\.name)
                var files: [String: [String]] = [:]
                for directory in directories where removal.scans(directory) {
                    files[directory] = try await storage.list(idPath + "/" + directory)
                        .filter { $0.type != .path }.map(\.name)
                }
                try await perform(removal.steps(directories: directories, files: files, repo: repo), in: idPath)
                let historyNames = entries.filter { $0.type != .path }.map(\.name)
                try await perform(removal.historySteps(names: historyNames, repo: repo), in: idPath)
            }
        }
    }

    private func perform(_ steps: [ArchiveRangeRemoval.Step], in idPath: String) async throws {
        for step in steps {
            switch step {
            case .log(let line):
                log.info(line)
            case .removeDirectory(let name):
                if !dryRun { try await storage.pathRemove(idPath + "/" + name, recursive: true) }
            case .removeFile(let name):
                if !dryRun { try await storage.remove(idPath + "/" + name, errorOnMissing: false) }
            }
        }
    }

    // MARK: backup.history

    private func removeHistory(kept: BackupInfo) async throws {
        guard let days = retention.history else { return }
        let history = BackupHistoryRetention(days: days, now: now)
        let root = layout.backupHistoryPath
        let years = try await storage.list(root).filter { $0.type == .path }.map(\.name)
        let boundary = years.contains(history.boundaryYear)
            ? try await storage.list(root + "/" + history.boundaryYear).filter { $0.type != .path }.map(\.name) : []
        for step in history.steps(years: years, boundaryFiles: boundary, current: Set(kept.labels), repo: repo) {
            switch step {
            case .log(let line):
                log.info(line)
            case .removeYear(let year):
                if !dryRun { try await storage.pathRemove(root + "/" + year, recursive: true) }
            case .removeManifest(let year, let file):
                if !dryRun { try await storage.remove(root + "/" + year + "/" + file, errorOnMissing: false) }
            }
        }
    }
}
