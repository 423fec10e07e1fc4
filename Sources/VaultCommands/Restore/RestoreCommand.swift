import Glibc
import Logging
import VaultConfig
import VaultCore
import VaultIO
import VaultRepository
import VaultStorage

/// `restore`: rebuilds a data directory from a backup set in pgBackRest 2.45's order (reference §7). Refuses a
/// running cluster (038) and, without `--delta`/`--force`, a non-empty target (040); chooses the set
/// (`RestoreSetSelection`), loads its manifest with backup.info's passphrase, remaps it (`RestoreLayout`), deletes
/// `global/pg_control` first, cleans and creates paths and links, writes `<PGDATA>/backup.manifest`, restores the
/// files in parallel over `process-max` (`RestoreFileJob`, largest first), writes the recovery settings
/// (`RecoveryConfig`), removes the manifest copy, fsyncs the paths, and renames `pg_control` into place last.
public struct RestoreCommand: VaultCommand {
    public static let name = "restore"

    public init() {}

    public func run(_ context: CommandContext) async throws -> Int32 {
        let logger = context.logger
        var options = try RestoreOptions(config: context.config)
        let cluster = try ClusterTarget.from(context)
        let pgPath = try RestoreLayout.absolute(cluster.dataPath, base: "/", what: "pg1-path")
        let pgStorage = try PosixStorage(root: pgPath)

        guard try await pgStorage.info("")?.type == .path else {
            throw PGVError(.pathMissing, "$PGDATA directory '\(pgPath)' does not exist")
        }
        if try await pgStorage.exists("postmaster.pid") {
            throw PGVError(.pgRunning, "unable to restore while PostgreSQL is running",
                           hint: "presence of 'postmaster.pid' in '\(pgPath)' indicates PostgreSQL is running; "
                               + "remove 'postmaster.pid' only if PostgreSQL is not running")
        }
        if options.delta || options.force {
            let hasVersion = try await pgStorage.exists("PG_VERSION")
            let hasManifest = try await pgStorage.exists("backup.manifest")
            let looksLikeData = hasVersion || hasManifest
            if !looksLikeData {
                let message = "--delta or --force specified but unable to find 'PG_VERSION' or 'backup.manifest' in "
                    + "'\(pgPath)' to confirm that this is a valid $PGDATA directory. --delta and --force have "
                    + "been disabled and if any files exist in the destination directories the restore will be aborted."
                logger.warning("\(message)")
                options.delta = false
                options.force = false
            }
        }

        // Backup set and manifest.
        let repositories = try StanzaRepository.openAll(context)
        // A repository whose backup.info cannot be read is skipped with a warning, as in 2.45; with none left the
        // selection fails with 075.
        var infos: [(repo: Int, info: BackupInfo)] = []
        for repository in repositories {
            do {
                infos.append((repository.index, try await repository.loadBackupInfo()))
            } catch {
                let failure = PGVError.wrap(error)
                let hint = failure.hint.map { "\nHINT: \($0)" } ?? ""
                logger.warning("\(repository.label): [\(failure.code.name)] \(failure.message)\(hint)")
            }
        }
        let selection = try RestoreSetSelection.select(options: options, repositories: infos)
        for warning in selection.warnings { logger.warning("\(warning)") }
        guard let repository = repositories.first(where: { $0.index == selection.repo }),
              let backupInfo = infos.first(where: { $0.repo == selection.repo })?.info else {
            throw PGVError(.assert, "selected repository repo\(selection.repo) is not open")
        }
        var manifest = try await loadManifest(repository: repository, label: selection.label,
                                              passphrase: backupInfo.cipherPass, logger: logger)
        let startTime = RestoreTargetFileSystem.localTimestamp(manifest.backup.timestampStart)
        logger.notice("\(repository.label): restore backup set \(selection.label), recovery will start at \(startTime)")

        // Layout and plan.
        let layout = try RestoreLayout(manifest: manifest, pgPath: pgPath, options: options)
        for notice in layout.notices { logger.notice("\(notice)") }
        for warning in layout.warnings { logger.warning("\(warning)") }
        let recoveryType = RecoveryConfig(options: options, pgMajor: 0, backupOnline: manifest.options.online,
                                          restoreCommand: "", restoreTime: "").effectiveType
        var existing: [String: RestorePlan.Existing] = [:]
        for target in layout.targets {
            let root = try PosixStorage(root: "/")
            if let cleanRoot = RestorePlan.cleanRoot(of: target, layout: layout) {
                logger.info("check '\(cleanRoot)' exists")
                if try await root.info(String(cleanRoot.dropFirst())) != nil {
                    existing[target.name] = .init(try await PosixStorage(root: cleanRoot).listRecursive(""))
                } else {
                    existing[target.name] = .init(nil)
                }
            } else if let info = try await root.info(String(target.linkDestination.dropFirst())) {
                existing[target.name] = .init([info])
            }
        }
        let plan = try RestorePlan(manifest: manifest, layout: layout, options: options, type: recoveryType,
                                   existing: existing)
        let pool = BlockingPool(threads: options.processMax)
        do {
            try await execute(plan: plan, manifest: &manifest, layout: layout, options: options, repository: repository,
                              pgStorage: pgStorage, recoveryType: recoveryType, context: context, pool: pool)
        } catch {
            try? await pool.shutdown()
            throw error
        }
        try await pool.shutdown()
        return 0
    }

    /// Loads `backup.manifest` (or its `.copy`) of `label` and checks it belongs to that directory.
    func loadManifest(repository: StanzaRepository, label: String, passphrase: String?, logger: Logger) async throws -> Manifest {
        let path = repository.layout.manifestPath(label)
        let repoLabel = repository.label
        let manifest = try await repository.store.load(Manifest.self, from: path, passphrase: passphrase, onFallback: { error in
            logger.warning("\(repoLabel): '\(path)' is unreadable, using its copy: [\(error.code)] \(error.message)")
        }).value
        guard manifest.backup.label == label else {
            throw PGVError(.format, "requested backup '\(label)' and manifest label '\(manifest.backup.label)' do not match",
                           hint: "this indicates some sort of corruption (at the very least paths have been renamed).")
        }
        if manifest.backup.blockIncr || manifest.backup.bundleRaw || manifest.files.contains(where: { $0.blockIncrSize != nil }) {
            throw PGVError(.notImplemented, "backup set '\(label)' uses block incremental storage, which pgvault cannot restore yet",
                           hint: "restore this set with pgBackRest, or take a backup without repo-block")
        }
        return manifest
    }

    private func execute(plan: RestorePlan, manifest: inout Manifest, layout: RestoreLayout, options: RestoreOptions,
                         repository: StanzaRepository, pgStorage: PosixStorage, recoveryType: RestoreOptions.RecoveryType,
                         context: CommandContext, pool: BlockingPool) async throws {
        let logger = context.logger
        let pgPath = layout.pgData
        let root = RestoreTargetFileSystem.isRoot
        let pgOwner = try await BlockingPool.shared.run { try RestoreTargetFileSystem.owner(of: pgPath) }
        let fallback = (uid: pgOwner.uid, gid: pgOwner.gid)

        // pg_control goes first so that an interrupted restore cannot start.
        if try await pgStorage.exists("global/pg_control") {
            logger.info("remove 'global/pg_control' so cluster will not start if restore does not complete")
            try await pgStorage.remove("global/pg_control", errorOnMissing: false)
            try await BlockingPool.shared.run { try RestoreTargetFileSystem.syncPath(pgPath + "/global") }
        }
        if options.delta || options.force {
            for target in layout.targets {
                if let cleanRoot = RestorePlan.cleanRoot(of: target, layout: layout) {
                    logger.notice("remove invalid files/links/paths from '\(cleanRoot)'")
                }
            }
        }
        let system = try PosixStorage(root: "/")
        for removal in plan.removals {
            logger.info("remove \(removal.reason) '\(removal.absolute)'")
            let path = String(removal.absolute.dropFirst())
            if removal.type == .path {
                try await system.pathRemove(path, recursive: true)
            } else {
                try await system.remove(path, errorOnMissing: false)
            }
        }
        for fix in plan.modeFixes {
            logger.info("update mode for '\(fix.absolute)' to \(String(fix.mode, radix: 8))")
            try await BlockingPool.shared.run { try RestoreTargetFileSystem.setMode(fix.absolute, fix.mode) }
        }

        // Paths and links.
        for path in plan.paths {
            let relative = String(path.absolute.dropFirst())
            if let info = try await system.info(relative) {
                if info.type == .path, let mode = info.mode, mode != path.mode {
                    try await BlockingPool.shared.run { try RestoreTargetFileSystem.setMode(path.absolute, path.mode) }
                }
                if info.type == .path && !root { continue }
                if info.type != .path {
                    throw PGVError(.pathCreate, "unable to create path '\(path.absolute)': a file is in the way")
                }
            } else {
                logger.info("create path '\(path.absolute)'")
                try await system.pathCreate(relative, mode: path.mode)
            }
            if root {
                try await BlockingPool.shared.run {
                    try RestoreTargetFileSystem.setOwner(path.absolute, user: path.user.name, group: path.group.name,
                                                         fallback: fallback)
                }
            }
        }
        for link in plan.links {
            let relative = String(link.absolute.dropFirst())
            if try await system.info(relative) != nil { continue }
            logger.info("create symlink '\(link.absolute)' to '\(link.destination)'")
            try await system.linkCreate(relative, destination: link.destination)
            if root {
                try await BlockingPool.shared.run {
                    try RestoreTargetFileSystem.setOwner(link.absolute, user: link.user.name, group: link.group.name,
                                                         fallback: fallback)
                }
            }
        }

        // The manifest copy lets an interrupted delta restore be run again.
        manifest.targets = manifest.targets.compactMap { target in
            guard let mapped = layout.target(named: target.name) else { return nil }
            var updated = target
            updated.path = mapped.path
            updated.file = mapped.file
            return updated
        }
        let fileMode = manifest.effectiveDefaults.file.mode ?? 0o600
        try await pgStorage.put("backup.manifest", manifest.render(), options: StorageWriteOptions(mode: fileMode))

        try await restoreFiles(plan: plan, manifest: manifest, repository: repository, context: context, pool: pool,
                               owner: root ? fallback : nil)

        // Recovery files take PGDATA's owner and mode as they are now (the paths step may have changed them).
        let pgNow = try await BlockingPool.shared.run { try RestoreTargetFileSystem.owner(of: pgPath) }
        try await writeRecovery(manifest: manifest, options: options, pgStorage: pgStorage, recoveryType: recoveryType,
                                context: context, pgOwner: pgNow, root: root)
        try await pgStorage.remove("backup.manifest", errorOnMissing: false)

        // Durability: every path, then pg_control into place, last of all: a restore that fails or is killed before
        // this point (recovery settings included) leaves a cluster PostgreSQL refuses to start.
        let syncPaths = Set(plan.paths.map(\.absolute) + [pgPath]).sorted()
        try await BlockingPool.shared.run { for path in syncPaths { try RestoreTargetFileSystem.syncPath(path) } }
        if plan.files.contains(where: { $0.file.name == RestorePlan.controlFile }) {
            let from = pgPath + "/" + RestorePlan.controlTemporary
            logger.info("restore global/pg_control (performed last to ensure aborted restores cannot be started)")
            try await BlockingPool.shared.run {
                try RestoreTargetFileSystem.rename(from, to: pgPath + "/global/pg_control")
                try RestoreTargetFileSystem.syncPath(pgPath + "/global")
            }
        }
        let total = plan.files.reduce(UInt64(0)) { $0 + $1.file.size }
        logger.notice("restore size = \(RestoreSizeFormat.text(total)), file total = \(plan.files.count)")
    }

    /// Runs the file jobs, at most `process-max` at a time, largest first.
    private func restoreFiles(plan: RestorePlan, manifest: Manifest, repository: StanzaRepository, context: CommandContext,
                              pool: BlockingPool, owner: (uid: uid_t, gid: gid_t)?) async throws {
        let logger = context.logger
        let total = max(plan.files.reduce(UInt64(0)) { $0 + $1.file.size }, 1)
        var storages: [String: PosixStorage] = [:]
        for task in plan.files where storages[task.root] == nil { storages[task.root] = try PosixStorage(root: task.root) }
        let width = max(1, context.config.int("process-max") ?? 1)
        var done: UInt64 = 0
        var reporter = ProgressReporter(command: "restore", totalBytes: plan.files.reduce(0) { $0 + $1.file.size },
                                        totalFiles: plan.files.count, output: context.output, logger: logger)
        defer { reporter.finish() }
        try await withThrowingTaskGroup(of: (RestorePlan.FileTask, RestoreFileJob.Outcome).self) { group in
            var pending = plan.files.makeIterator()
            func launch() -> Bool {
                guard let task = pending.next() else { return false }
                let job = RestoreFileJob(task: task, manifest: manifest, layout: repository.layout,
                                         repository: repository.storage, target: storages[task.root]!, pool: pool)
                group.addTask {
                    let outcome = try await job.run()
                    try await Self.finish(task: task, outcome: outcome, owner: owner)
                    return (task, outcome)
                }
                return true
            }
            for _ in 0..<width where !launch() { break }
            while let (task, outcome) = try await group.next() {
                done += task.file.size
                let percent = Self.twoDecimals(Double(done) * 100 / Double(total))
                let path = task.root + "/" + task.relative
                let size = RestoreSizeFormat.text(task.file.size)
                switch outcome {
                case .copied:
                    let checksum = task.file.size > 0 ? " checksum \(task.file.checksum)" : ""
                    logger.info("restore file \(path) (\(size), \(percent)%)\(checksum)")
                case .matched:
                    logger.info("restore file \(path) - exists and matches backup (\(size), \(percent)%) checksum \(task.file.checksum)")
                case .kept:
                    logger.info("restore file \(path) - exists and is unchanged (\(size), \(percent)%)")
                }
                reporter.advance(bytes: task.file.size)
                _ = launch()
            }
        }
    }

    /// After a job: truncate a longer matching file, reset its mtime, and apply the owner when running as root.
    static func finish(task: RestorePlan.FileTask, outcome: RestoreFileJob.Outcome,
                       owner: (uid: uid_t, gid: gid_t)?) async throws {
        let path = task.root + "/" + task.writeRelative
        let file = task.file
        let existingModified = task.existing?.modified
        try await BlockingPool.shared.run {
            if case .matched(let truncate) = outcome {
                if truncate { try RestoreTargetFileSystem.truncate(path, to: file.size) }
                if truncate || existingModified != file.timestamp {
                    try RestoreTargetFileSystem.setModified(path, file.timestamp)
                }
            }
            if let owner {
                try RestoreTargetFileSystem.setOwner(path, user: file.user.name, group: file.group.name, fallback: owner)
            }
        }
    }

    /// Writes `postgresql.auto.conf` (or `recovery.conf`) and the signal files with PGDATA's mode & 0644.
    private func writeRecovery(manifest: Manifest, options: RestoreOptions, pgStorage: PosixStorage,
                               recoveryType: RestoreOptions.RecoveryType, context: CommandContext,
                               pgOwner: (uid: uid_t, gid: gid_t, mode: UInt32), root: Bool) async throws {
        let logger = context.logger
        let pgPath = pgStorage.root
        if recoveryType == .preserve {
            let file = Int(manifest.db.version.split(separator: ".").first ?? "") ?? 0 >= 12
                ? RecoveryConfig.autoConfFile : RecoveryConfig.recoveryConfFile
            if try await !pgStorage.exists(file) {
                logger.warning("recovery type is preserve but recovery file does not exist at '\(pgPath)/\(file)'")
            }
            return
        }
        let versionParts = manifest.db.version.split(separator: ".").compactMap { Int($0) }
        let config = RecoveryConfig(
            options: options, pgMajor: versionParts.first ?? 0, pgMinor: versionParts.count > 1 ? versionParts[1] : 0,
            backupOnline: manifest.options.online,
            restoreCommand: RestoreCommandLine.build(config: context.config,
                                                     executable: RestoreCommandLine.currentExecutable()),
            restoreTime: RestoreTargetFileSystem.localTimestamp(RestoreTargetFileSystem.now()))
        let existing = try await pgStorage.getIfExists(RecoveryConfig.autoConfFile)
        let output = try config.output(existingAutoConf: existing.map { String(decoding: $0, as: UTF8.self) })
        for warning in output.warnings { logger.warning("\(warning)") }
        let mode = pgOwner.mode & 0o644
        var written: [String] = []
        if let autoConf = output.autoConf {
            logger.notice("write \(existing == nil ? "" : "updated ")\(pgPath)/\(RecoveryConfig.autoConfFile)")
            try await pgStorage.put(RecoveryConfig.autoConfFile, Array(autoConf.utf8), options: StorageWriteOptions(mode: mode))
            written.append(RecoveryConfig.autoConfFile)
        }
        if let recoveryConf = output.recoveryConf {
            logger.notice("write \(pgPath)/\(RecoveryConfig.recoveryConfFile)")
            try await pgStorage.put(RecoveryConfig.recoveryConfFile, Array(recoveryConf.utf8),
                                    options: StorageWriteOptions(mode: mode))
            written.append(RecoveryConfig.recoveryConfFile)
        }
        for signal in output.signalFiles {
            try await pgStorage.put(signal, [], options: StorageWriteOptions(mode: mode))
            written.append(signal)
        }
        if root {
            let paths = written.map { pgPath + "/" + $0 }
            try await BlockingPool.shared.run {
                for path in paths {
                    try RestoreTargetFileSystem.setOwner(path, user: nil, group: nil,
                                                         fallback: (pgOwner.uid, pgOwner.gid))
                }
            }
        }
    }

    /// A number with two decimals (`12.50`), without Foundation.
    static func twoDecimals(_ value: Double) -> String {
        let hundredths = Int64((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}
