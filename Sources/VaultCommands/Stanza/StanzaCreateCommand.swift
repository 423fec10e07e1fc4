import VaultCore
import VaultPostgres
import VaultRepository
import VaultStorage

/// `stanza-create` (reference §9): for every configured repository, writes archive.info (history id 1) and
/// backup.info with fresh cipher sub-passphrases when the repository is encrypted, or validates existing ones and
/// restores a missing `.copy`. Refuses when stopped (062), when the stanza directories hold anything without info
/// files (040) and when only one info file exists (055). Holds both stanza locks throughout.
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
        let archiveNotEmpty = try await !storage.list(layout.archivePath).isEmpty
        let backupNotEmpty = try await !storage.list(layout.backupPath).isEmpty
        let plan = StanzaCreatePlan.decide(presence, archiveNotEmpty: archiveNotEmpty, backupNotEmpty: backupNotEmpty)
        if context.config.bool("force"), case .refuseNotEmpty = plan {
            let rebuilt = try await StanzaRebuild(repository: repository, control: control, logger: context.logger).run()
            try await repository.save(rebuilt.archive)
            try await repository.save(rebuilt.backup)
            return
        }
        switch plan {
        case .create:
            let archivePass = repository.isEncrypted ? CipherPassphrases.generate() : nil
            try await repository.save(ArchiveInfo(systemId: control.systemIdentifier, version: control.version.name,
                                                  cipherPass: archivePass))
            let backupPass = repository.isEncrypted ? CipherPassphrases.generate() : nil
            try await repository.save(BackupInfo(systemId: control.systemIdentifier, version: control.version.name,
                                                 controlVersion: control.controlVersion,
                                                 catalogVersion: control.catalogVersion, cipherPass: backupPass))
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
            for item in restore {
                let main = item.file == .archive ? layout.archiveInfoPath : layout.backupInfoPath
                let (source, destination) = item.copyMissing ? (main, main + copy) : (main + copy, main)
                try await storage.put(destination, try await storage.get(source))
                context.logger.info("\(repository.label): restored '\(destination)' from '\(source)'")
            }
            if restore.isEmpty {
                context.logger.notice("stanza '\(repository.stanza)' already exists on \(repository.label) and is valid")
            }
        }
    }
}
