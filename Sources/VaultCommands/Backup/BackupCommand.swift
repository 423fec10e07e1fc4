import Glibc
import Logging
import VaultConfig
import VaultCore
import VaultIO
import VaultPostgres
import VaultRepository
import VaultStorage

/// `backup --type=full|diff|incr`: an online (or offline) backup in pgBackRest 2.45's repository format, in the
/// order of reference §5: backup lock → backup.info (reconstructed) → cluster check (051) → prior → backup start
/// → manifest → copy-start time → incremental decisions → label → `backup.manifest.copy` → parallel copy → backup
/// stop on the same session → `backup_label`/`tablespace_map` → WAL in the archive (082) → `backup.manifest`,
/// `backup.history`, `latest`, backup.info, archive.info.
public struct BackupCommand: VaultCommand {
    public static let name = "backup"

    public init() {}

    public func run(_ context: CommandContext) async throws -> Int32 {
        var run = try BackupRun(context: context)
        try await run.execute()
        return 0
    }
}

/// The state of one backup run; `BackupCommand` creates it and calls `execute`.
struct BackupRun {
    let context: CommandContext
    let config: ResolvedConfig
    let logger: Logger
    let stanza: String
    let cluster: ClusterTarget
    let online: Bool
    let force: Bool
    let lockPath: String

    init(context: CommandContext) throws {
        self.context = context
        config = context.config
        logger = context.logger
        guard let stanza = context.stanza else {
            throw PGVError(.optionRequired, "backup command requires option: stanza")
        }
        self.stanza = stanza
        cluster = try ClusterTarget.from(context)
        online = config.bool("online")
        force = config.bool("force")
        lockPath = config.string("lock-path") ?? "/tmp/pgbackrest"
    }

    mutating func execute() async throws {
        // Offline backups refuse a cluster that looks running (postmaster.pid), unless --force.
        if !online, try await cluster.postmasterRunning(), !force {
            throw PGVError(.pgRunning, "--no-online passed but postmaster.pid exists - looks like " +
                           "PostgreSQL is running. Shut down PostgreSQL and try again, or use --force.")
        }
        for line in try await BackupForceOverrides.handleStopFiles(lockPath: lockPath, stanza: stanza, force: force) {
            logger.warning("\(line)")
        }
        let lockFile = CommandLock.path(lockPath: lockPath, stanza: stanza, kind: .backup)
        let stale = force ? BackupForceOverrides.staleLockHolder(lockFile: lockFile) : nil
        let lock = try CommandLock.acquire(lockPath: lockPath, stanza: stanza, kind: .backup, execId: context.execId)
        defer { lock.release() }
        if let stale { logger.warning("--force: overrode stale lock file '\(lockFile)' left by dead process \(stale)") }

        let repo = try StanzaRepository.open(context, repo: config.int("repo") ?? 1)
        let (backupInfo, warnings) = try await BackupInfoReconstruction.reconstruct(
            try await repo.loadBackupInfo(), storage: repo.storage, layout: repo.layout, store: repo.store)
        for warning in warnings { logger.warning("\(warning)") }
        let archiveInfo = try await repo.loadArchiveInfo()

        var control = try await cluster.readControl()
        let current = backupInfo.current
        guard control.version.name == current.version, control.systemIdentifier == current.systemId else {
            throw PGVError(.backupMismatch,
                           "PostgreSQL version \(control.version.name), system-id \(control.systemIdentifier) do not match "
                           + "stanza version \(current.version), system-id \(current.systemId)",
                           hint: "is this the correct stanza?")
        }

        let session: DatabaseSession? = online ? try await cluster.connect(control: control) : nil
        do {
            try await backup(repo: repo, backupInfo: backupInfo, archiveInfo: archiveInfo, control: &control,
                             session: session, lock: lock)
        } catch {
            if let session { await session.close() }
            throw error
        }
        if let session { await session.close() }
        // expire-auto (default y): expire under the backup lock still held, as pgBackRest does after a backup.
        if config.bool("expire-auto") {
            try? lock.update(percentComplete: nil)
            try await ExpireCommand.expire(context)
        }
    }

    // MARK: the backup

    private func backup(repo: StanzaRepository, backupInfo: BackupInfo, archiveInfo: ArchiveInfo,
                        control: inout PgControl, session: DatabaseSession?, lock: CommandLock) async throws {
        let layout = repo.layout
        let store = repo.store
        let manifestPass = backupInfo.cipherPass

        // Prior selection (step 3).
        let requested = BackupType(rawValue: config.string("type") ?? "incr") ?? .incr
        let choice = BackupPlan.choosePrior(requested: requested, backups: backupInfo.backups, dbId: current(backupInfo))
        if let warning = choice.warning { logger.warning("\(warning)") }
        var prior: Manifest?
        if let entry = choice.prior {
            prior = try await store.load(Manifest.self, from: layout.manifestPath(entry.label), passphrase: manifestPass).value
            logger.notice("last backup label = \(entry.label), version = \(entry.backrestVersion)")
        }
        let type = choice.type

        var archiveCheck = online && config.bool("archive-check")
        if !online { archiveCheck = false }
        let requestedType = CompressionType(rawValue: config.string("compress-type") ?? "gz") ?? .gz
        let compressType = config.isSet("compress") && !config.bool("compress") ? CompressionType.none : requestedType
        var checksumPage = online ? control.pageChecksums : false
        if config.isSet("checksum-page") {
            let wanted = config.bool("checksum-page")
            if wanted && !control.pageChecksums {
                logger.warning("checksum-page option set to true but checksums are not enabled on the cluster, resetting to false")
            }
            checksumPage = wanted && control.pageChecksums
        }
        let settings = BackupPlan.settings(
            requested: .init(compressType: compressType, compressLevel: config.int("compress-level") ?? compressType.defaultLevel,
                             checksumPage: checksumPage),
            prior: prior?.options)

        // Backup start (step 4); the start time (and so the label) comes from the database clock when online.
        let timestampStart = BackupPlan.startTime(database: try await session?.currentTimestamp(), local: Int64(time(nil)))
        var start: WalPosition?
        var tablespaces: [UInt32: String] = [:]
        var databases: [Manifest.Database] = []
        if let session {
            if archiveCheck && config.bool("archive-mode-check") {
                if try await session.setting("archive_mode") == "off" {
                    throw PGVError(.archiveDisabled, "archive_mode must be enabled")
                }
                let command = try await session.setting("archive_command")
                if command.isEmpty || command == "(disabled)" {
                    throw PGVError(.archiveCommandInvalid, "archive_command '\(command)' must be set")
                }
            }
            try await session.advisoryLock()
            let preStart = archiveCheck ? try await session.walFileName(try await session.currentWalLsn()) : nil
            let fast = config.bool("start-fast")
            let when = fast ? "requested immediate checkpoint completes" : "next regular checkpoint completes"
            logger.notice("execute non-exclusive backup start: backup begins after the \(when)")
            let position = try await session.backupStart(label: "pgBackRest backup started at \(Self.localTime(timestampStart))",
                                                         fast: fast)
            start = position
            logger.notice("backup start archive = \(position.walSegment), lsn = \(position.lsn)")
            control = try await cluster.readControl()
            if let preStart {
                if preStart == position.walSegment { _ = try await session.switchWal() }
                logger.notice("check archive for \(preStart == position.walSegment ? "" : "prior ")segment \(preStart)")
                try await walWait(repo, archiveInfo).wait(for: [preStart])
            }
            for space in try await session.tablespaces() { tablespaces[space.oid] = space.name }
            databases = try await session.databases().map {
                Manifest.Database(name: $0.name, id: $0.oid, lastSystemId: $0.lastSystemOid)
            }
        }

        // Manifest (step 5).
        let content = try await ManifestBuilder(
            dataPath: cluster.dataPath, exclusions: PgDataExclusions(version: control.version, online: online),
            userExclusions: config.list("exclude"), tablespaceNames: tablespaces).build()
        for warning in content.warnings { logger.warning("\(warning)") }
        var manifest = Manifest(
            backup: Manifest.Backup(label: "", type: type, prior: choice.prior?.label, references: [],
                                    timestampStart: timestampStart, timestampCopyStart: timestampStart),
            db: backupInfo.current, options: Manifest.Options())
        manifest.targets = content.targets
        manifest.paths = content.paths
        manifest.files = content.files
        manifest.links = content.links
        manifest.databases = databases
        if !config.hash("annotation").isEmpty {
            var annotation = JsonObject()
            for (key, value) in config.hash("annotation") { annotation[key] = .string(value) }
            manifest.annotation = annotation
        }
        manifest.backup.archiveStart = start?.walSegment
        manifest.backup.lsnStart = start?.lsn.description
        var options = Manifest.Options()
        options.archiveCheck = archiveCheck
        options.archiveCopy = false
        options.compressType = settings.compressType
        options.compressLevel = Int64(settings.compressLevel)
        options.compressLevelNetwork = Int64(config.int("compress-level-network") ?? 3)
        options.online = online
        options.backupStandby = false
        options.bufferSize = UInt64(config.size("buffer-size") ?? 1 << 20)
        options.checksumPage = settings.checksumPage
        options.processMax = UInt64(config.int("process-max") ?? 1)
        manifest.options = options
        manifest.sortLists()

        // Copy start (step 6): database time, then sleep into the next second.
        var copyStart = timestampStart
        if let session {
            let now = try await session.currentTimestamp()
            copyStart = Int64(now.rounded(.down)) + 1
            let wait = Double(copyStart) - now
            if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
        }
        manifest.backup.timestampCopyStart = copyStart

        // Incremental decisions (step 7).
        var delta = config.bool("delta")
        if !delta, let reason = BackupPlan.deltaReason(
            files: manifest.files, prior: prior, priorLabel: prior?.backup.label,
            timelineChanged: Self.timeline(prior?.backup.archiveStop) != Self.timeline(start?.walSegment),
            onlineChanged: prior.map { $0.options.online != online } ?? false, copyStart: copyStart) {
            logger.warning("\(reason)")
            delta = true
        }
        manifest.options.delta = delta
        let actions = BackupPlan.applyIncremental(to: &manifest, prior: prior, delta: delta)

        // Resume (step 8) and label (step 9).
        var label: String
        var resumed: [String: ManifestFile] = [:]
        var cipherPass: String? = repo.isEncrypted ? (prior?.cipherPass ?? CipherPassphrases.generate()) : nil
        if let unfinished = try await BackupResume.findUnfinished(storage: repo.storage, layout: layout) {
            let previous = try? await store.load(Manifest.self, from: layout.manifestPath(unfinished), passphrase: manifestPass).value
            let reason = previous.flatMap {
                BackupResume.incompatibility(of: $0, type: type, prior: choice.prior?.label, compressType: settings.compressType)
            } ?? (previous == nil ? "unable to read manifest" : nil)
            if let previous, reason == nil, config.bool("resume") {
                logger.warning("resumable backup \(unfinished) of same type exists -- invalid files will be removed then the backup will resume")
                resumed = BackupResume.candidates(resumed: previous, current: manifest, delta: delta)
                if repo.isEncrypted { cipherPass = previous.cipherPass ?? cipherPass }
                let keep = Set(resumed.keys.map {
                    layout.setFilePath(label: unfinished, manifestName: $0, compressType: settings.compressType)
                })
                try await BackupResume.clean(storage: repo.storage, setPath: layout.setPath(unfinished), keep: keep)
                label = unfinished
            } else {
                logger.warning("backup '\(unfinished)' cannot be resumed: \(reason ?? "resume is disabled")")
                try await repo.storage.pathRemove(layout.setPath(unfinished), recursive: true)
                label = try await newLabel(repo: repo, type: type, prior: choice.prior?.label, now: timestampStart)
            }
        } else {
            label = try await newLabel(repo: repo, type: type, prior: choice.prior?.label, now: timestampStart)
        }
        logger.notice("new backup label = \(label)")
        let setLabel = label
        manifest.backup.label = label
        manifest.backup.references = BackupPlan.references(priorReferences: prior?.backup.references ?? [],
                                                           priorLabel: prior?.backup.label, label: label)
        manifest.cipherPass = cipherPass
        try await store.saveCopyOnly(manifest, to: layout.manifestPath(label), passphrase: manifestPass)

        // Copy (step 10).
        if type == .full && repo.storage.capabilities.contains(.paths) {
            for path in manifest.paths {
                try await repo.storage.pathCreate(layout.setPath(label) + "/" + path.name, mode: 0o750)
            }
            if repo.storage.capabilities.contains(.symlinks) {
                for target in manifest.targets where target.tablespaceId != nil {
                    let link = layout.setPath(label) + "/pg_data/" + target.name
                    try await repo.storage.remove(link, errorOnMissing: false)
                    try await repo.storage.linkCreate(link, destination: "../../" + target.name)
                }
            }
        }
        let processMax = config.int("process-max") ?? 1
        let pool = BlockingPool(threads: processMax)
        let root = try PosixStorage(root: "/")
        let lsnLimit = start?.lsn
        let exclusions = PgDataExclusions(version: control.version, online: online)
        var inputs: [BackupFileJob.Input] = []
        var sizes: [String: UInt64] = [:]
        for file in BackupPlan.copyOrder(manifest.files) {
            let action = actions[file.name] ?? .copy
            var deltaChecksum: String?
            switch action {
            case .reference: continue
            case .delta(_, let checksum): deltaChecksum = checksum
            case .copy: break
            }
            let absolute = Self.sourcePath(of: file.name, targets: manifest.targets, dataPath: cluster.dataPath)
            let relative = file.name.hasPrefix("pg_data/") ? String(file.name.dropFirst(8)) : file.name
            let checked = settings.checksumPage && exclusions.checksPageChecksums(relative)
            sizes[file.name] = file.size
            inputs.append(BackupFileJob.Input(
                name: file.name, sourcePath: String(absolute.dropFirst()),
                repoPath: layout.setFilePath(label: label, manifestName: file.name, compressType: settings.compressType),
                pageChecksumSegment: checked ? PageChecksum.segmentNumber(fileName: relative.split(separator: "/").last ?? "") : nil,
                pageChecksumLsnLimit: lsnLimit, deltaChecksum: deltaChecksum, resumed: resumed[file.name]))
        }
        let job = BackupFileJob(source: root, repository: repo.storage, compressType: settings.compressType,
                                compressLevel: settings.compressLevel, cipherPass: cipherPass, pool: pool)
        let dataPath = cluster.dataPath
        let targets = manifest.targets
        let interval = BackupPlan.saveInterval(
            totalSize: sizes.values.reduce(0, +), threshold: UInt64(config.size("manifest-save-threshold") ?? 1 << 30))
        var keepAlive: (@Sendable () async throws -> Void)?
        if let session { keepAlive = { try await session.ping() } }
        let copier = BackupCopier(
            job: job, processMax: processMax, logger: logger,
            displayPath: { Self.sourcePath(of: $0, targets: targets, dataPath: dataPath) }, saveInterval: interval,
            save: { try await store.saveCopyOnly($0, to: layout.manifestPath(setLabel), passphrase: manifestPass) },
            progress: { try? lock.update(percentComplete: $0) }, output: context.output, keepAlive: keepAlive)
        let summary: BackupCopier.Summary
        do {
            summary = try await copier.run(inputs, sizes: sizes, manifest: &manifest)
        } catch {
            try? await pool.shutdown()
            throw error
        }
        try? await pool.shutdown()
        if !manifest.files.contains(where: { $0.name == "pg_data/" + PgControl.path }) {
            throw PGVError(.fileMissing, "unable to open missing file '\(cluster.dataPath)/\(PgControl.path)' for read")
        }
        logger.notice("\(type.rawValue) backup size = \(BackupSizeFormat.render(summary.copiedSize)), file total = \(manifest.files.count)")

        // Stop (step 11).
        var timestampStop = Int64(time(nil))
        if let session, let start {
            logger.notice("execute non-exclusive backup stop and wait for all WAL segments to archive")
            let stop = try await session.backupStop()
            timestampStop = Int64(time(nil))
            logger.notice("backup stop archive = \(stop.walSegment), lsn = \(stop.lsn)")
            manifest.backup.archiveStop = stop.walSegment
            manifest.backup.lsnStop = stop.lsn.description
            let pgData = manifest.path(named: "pg_data")
            var extra = [("backup_label", stop.labelFile)]
            if let map = stop.tablespaceMapFile { extra.append(("tablespace_map", map)) }
            // The copy's stage pool is shut down by now; these two small files get their own.
            let extraPool = BlockingPool(threads: 1)
            do {
                for (name, text) in extra {
                    try await manifest.files.append(storeExtraFile(
                        name: name, text: text, repo: repo, settings: settings, cipherPass: cipherPass,
                        label: label, timestamp: timestampStop, pgData: pgData, dataPath: cluster.dataPath,
                        pool: extraPool, logger: logger))
                }
            } catch {
                try? await extraPool.shutdown()
                throw error
            }
            try? await extraPool.shutdown()
            manifest.sortLists()

            // WAL (step 12).
            if archiveCheck {
                let segments = try BackupWalWait.segments(from: start.walSegment, to: stop.walSegment,
                                                          segmentSize: control.walSegmentSize)
                logger.info("check archive for segment(s) \(segments.first!):\(segments.last!)")
                try await walWait(repo, archiveInfo).wait(for: segments)
            }
        }
        manifest.backup.timestampStop = timestampStop

        // Complete (step 13).
        try validate(manifest)
        try await store.save(manifest, to: layout.manifestPath(label), passphrase: manifestPass, order: .copyFirst)
        try await store.saveHistoryManifest(manifest, to: layout.historyManifestPath(label), passphrase: manifestPass)
        if repo.storage.capabilities.contains(.symlinks) {
            try await repo.storage.remove(layout.latestLinkPath, errorOnMissing: false)
            try await repo.storage.linkCreate(layout.latestLinkPath, destination: label)
        }
        var info = backupInfo
        info.add(BackupInfo.Entry(manifest: manifest))
        try await repo.save(info)
        try await repo.save(archiveInfo)
        logger.info("backup complete, \(summary.warnings) page-checksum warning(s)")
    }

    /// Stores `backup_label` or `tablespace_map` (from `pg_backup_stop`) like any other file of the set and returns
    /// its manifest entry.
    private func storeExtraFile(name: String, text: String, repo: StanzaRepository, settings: BackupPlan.Settings,
                                cipherPass: String?, label: String, timestamp: Int64, pgData: Manifest.Path?,
                                dataPath: String, pool: BlockingPool, logger: Logger) async throws -> ManifestFile {
        let memory = MemoryStorage()
        try await memory.put(name, Array(text.utf8))
        let result = try await BackupFileJob(
            source: memory, repository: repo.storage, compressType: settings.compressType,
            compressLevel: settings.compressLevel, cipherPass: cipherPass, pool: pool)
            .run(.init(name: "pg_data/" + name, sourcePath: name,
                       repoPath: repo.layout.setFilePath(label: label, manifestName: "pg_data/" + name,
                                                         compressType: settings.compressType)))
        var file = ManifestFile(name: "pg_data/" + name, size: result.size, timestamp: timestamp,
                                checksum: result.checksum, repoSize: result.repoSize,
                                mode: (pgData?.mode ?? 0o700) & 0o644, user: pgData?.user ?? .unmapped,
                                group: pgData?.group ?? .unmapped)
        file.repoChecksum = result.repoChecksum
        logger.info("backup file \(dataPath)/\(name) (\(BackupSizeFormat.render(result.size)), 100.00%) checksum \(result.checksum)")
        return file
    }

    private func current(_ info: BackupInfo) -> UInt32 { info.currentId }

    private func walWait(_ repo: StanzaRepository, _ archiveInfo: ArchiveInfo) -> BackupWalWait {
        BackupWalWait(lookup: WalArchiveLookup(repository: repo, archiveId: archiveInfo.currentArchiveId),
                      timeout: config.time("archive-timeout") ?? 60)
    }

    /// A label after every set directory and `backup.history` entry (106 when the clock went backwards).
    private func newLabel(repo: StanzaRepository, type: BackupType, prior: String?, now: Int64) async throws -> String {
        var existing = try await repo.storage.list(repo.layout.backupPath)
            .filter { BackupLabel.isValid($0.name) }.map(\.name)
        for year in try await repo.storage.list(repo.layout.backupHistoryPath) where year.type == .path {
            for entry in try await repo.storage.list(repo.layout.backupHistoryPath + "/" + year.name)
            where entry.name.hasSuffix(".manifest.gz") {
                existing.append(String(entry.name.dropLast(".manifest.gz".count)))
            }
        }
        return try BackupPlan.label(type: type, prior: prior, existing: existing, now: now).rawValue
    }

    /// Strict checks before completion: every file has a checksum, zero-length files the empty SHA-1, and a stored
    /// size when it has content.
    private func validate(_ manifest: Manifest) throws {
        for file in manifest.files {
            if file.size == 0 && file.checksum != RepositoryFormat.emptySHA1 {
                throw PGVError(.assert, "zero-length file '\(file.name)' has checksum \(file.checksum)")
            }
            if file.size > 0 && file.reference == nil && file.repoSize == 0 {
                throw PGVError(.assert, "file '\(file.name)' has no repository size")
            }
        }
    }

    /// The absolute path of a manifest file on the cluster host, through its target (PGDATA, tablespace or link).
    static func sourcePath(of name: String, targets: [Manifest.Target], dataPath: String) -> String {
        var best: Manifest.Target?
        for target in targets where target.name != "pg_data" && (name == target.name || name.hasPrefix(target.name + "/")) {
            if best == nil || target.name.count > best!.name.count { best = target }
        }
        if let best {
            if let file = best.file, name == best.name { return best.path + "/" + file }
            return best.path + name.dropFirst(best.name.count)
        }
        return dataPath + name.dropFirst("pg_data".count)
    }

    /// The timeline of a WAL segment name (first 8 hex digits), nil without one.
    static func timeline(_ segment: String?) -> UInt32? {
        segment.flatMap { UInt32($0.prefix(8), radix: 16) }
    }

    static func localTime(_ seconds: Int64) -> String {
        let stamp = BackupLabel.Stamp.local(seconds)
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(stamp.year)-\(pad(stamp.month))-\(pad(stamp.day)) \(pad(stamp.hour)):\(pad(stamp.minute)):\(pad(stamp.second))"
    }
}
