import VaultCore
import VaultPostgres
import VaultRepository
import VaultStorage

/// `stanza-create` (reference §9): for every configured repository, writes archive.info (history id 1) and
/// backup.info with fresh cipher sub-passphrases when the repository is encrypted, or validates existing ones and
/// restores a missing `.copy`. Refuses when stopped (062), when the stanza directories hold anything without info
/// files (040) and when only one info file exists in directories holding more (055); one info file alone is what a
/// killed stanza-create leaves, and is completed (`StanzaCreatePlan.complete`). Holds both stanza locks throughout.
///
/// `--force` (pgvault, issue 5 item 7) rebuilds lost info files from the repository (`StanzaRebuild`); where they
/// exist it changes nothing.
public struct StanzaCreateCommand: VaultCommand {
    public static let name = "stanza-create"
    public init() {}

    public func run(_ context: CommandContext) async throws -> Int32 {
        guard let stanza = context.stanza else { throw PGVError(.optionRequired, "stanza-create command requires option: stanza") }
        try await StopFileCheck.verify(context)
        let locks = try await StanzaLocks.acquire(context, stanza: stanza)
        defer { locks.release() }
        let control = try await StanzaCluster.control(context)
        for repository in try StanzaRepository.openAll(context) {
            context.logger.notice("stanza-create for stanza '\(stanza)' on \(repository.label)")
            try await createOrValidate(repository, control: control, context: context)
        }
        return 0
    }

    private func createOrValidate(_ repository: StanzaRepository, control: PgControl, context: CommandContext) async throws {
        let storage = repository.storage
        let layout = repository.layout
        let copy = RepositoryFormat.copyExtension
        let presence = StanzaCreatePlan.Presence(
            archive: try await storage.exists(layout.archiveInfoPath),
            archiveCopy: try await storage.exists(layout.archiveInfoPath + copy),
            backup: try await storage.exists(layout.backupInfoPath),
            backupCopy: try await storage.exists(layout.backupInfoPath + copy))
        let archiveNotEmpty = StanzaCreatePlan.holdsMore(try await storage.list(layout.archivePath).map(\.name), than: .archive)
        let backupNotEmpty = StanzaCreatePlan.holdsMore(try await storage.list(layout.backupPath).map(\.name), than: .backup)
        let plan = StanzaCreatePlan.decide(presence, archiveNotEmpty: archiveNotEmpty, backupNotEmpty: backupNotEmpty)
        if context.config.bool("force"), case .refuseNotEmpty = plan {
            let rebuilt = try await StanzaRebuild(repository: repository, control: control, logger: context.logger).run()
            try await repository.save(rebuilt.archive)
            try await repository.save(rebuilt.backup)
            return
        }
        switch plan {
        case .create:
            try await repository.save(newArchiveInfo(repository, control: control))
            try await repository.save(newBackupInfo(repository, control: control))
        case .complete(let missing, let restore):
            // What an interrupted stanza-create left: check the file it wrote, then finish the job.
            let identity = StanzaClusterIdentity(control: control)
            if missing == .backup {
                let backup = newBackupInfo(repository, control: control)
                try StanzaInfoMatch.matchCluster(try await repository.loadArchiveInfo(), backup, cluster: identity)
                try await restoreHalves(restore, repository: repository, context: context)
                try await repository.save(backup)
            } else {
                let archive = newArchiveInfo(repository, control: control)
                try StanzaInfoMatch.matchCluster(archive, try await repository.loadBackupInfo(), cluster: identity)
                try await restoreHalves(restore, repository: repository, context: context)
                try await repository.save(archive)
            }
            context.logger.info("\(repository.label): completed an interrupted stanza-create: wrote '\(missing.rawValue)'")
        case .refuseNotEmpty(let backup, let archive):
            throw PGVError(.pathNotEmpty, "\(repository.label): "
                               + StanzaCreatePlan.notEmptyMessage(backupNotEmpty: backup, archiveNotEmpty: archive),
                           hint: "is the stanza already in use without info files? stanza-create --force rebuilds them")
        case .refuseOneMissing(let archiveExists):
            throw PGVError(.fileMissing, (archiveExists ? "archive.info exists but backup.info is missing"
                                                        : "backup.info exists but archive.info is missing")
                               + " on \(repository.label)",
                           hint: "this may be a symptom of repository corruption!")
        case .validate(let restore):
            let archive = try await repository.loadArchiveInfo()
            let backup = try await repository.loadBackupInfo()
            try StanzaInfoMatch.matchCluster(archive, backup, cluster: StanzaClusterIdentity(control: control))
            try await restoreHalves(restore, repository: repository, context: context)
            if restore.isEmpty {
                context.logger.notice("stanza '\(repository.stanza)' already exists on \(repository.label) and is valid")
            }
        }
    }

    /// A new archive.info (history id 1) for the cluster, with a fresh sub-passphrase when the repository is encrypted.
    private func newArchiveInfo(_ repository: StanzaRepository, control: PgControl) -> ArchiveInfo {
        ArchiveInfo(systemId: control.systemIdentifier, version: control.version.name,
                    cipherPass: repository.isEncrypted ? CipherPassphrases.generate() : nil)
    }

    /// A new backup.info (history id 1) for the cluster, with a fresh sub-passphrase when the repository is encrypted.
    private func newBackupInfo(_ repository: StanzaRepository, control: PgControl) -> BackupInfo {
        BackupInfo(systemId: control.systemIdentifier, version: control.version.name,
                   controlVersion: control.controlVersion, catalogVersion: control.catalogVersion,
                   cipherPass: repository.isEncrypted ? CipherPassphrases.generate() : nil)
    }

    /// Copies each missing member of a file/copy pair from its twin (a whole-file get and put, atomic).
    private func restoreHalves(_ restore: [StanzaCreatePlan.Restore], repository: StanzaRepository,
                               context: CommandContext) async throws {
        let layout = repository.layout
        let copy = RepositoryFormat.copyExtension
        for item in restore {
            let main = item.file == .archive ? layout.archiveInfoPath : layout.backupInfoPath
            let (source, destination) = item.copyMissing ? (main, main + copy) : (main + copy, main)
            try await repository.storage.put(destination, try await repository.storage.get(source))
            context.logger.info("\(repository.label): restored '\(destination)' from '\(source)'")
        }
    }
}
