import VaultCore
import VaultRepository
import VaultStorage

/// `stanza-delete` (reference §9) on one repository (`--repo`, default repo1): requires the stanza's stop file
/// (055 otherwise, even with `--force`) and PostgreSQL down (`postmaster.pid` absent, 038) unless `--force`. Removes
/// the info files and their copies first, so a crash never leaves a stanza that looks valid but lacks data, then
/// the `archive/<stanza>` and `backup/<stanza>` trees, then the stop file. Holds both stanza locks.
public struct StanzaDeleteCommand: VaultCommand {
    public static let name = "stanza-delete"
    public init() {}

    public func run(_ context: CommandContext) async throws -> Int32 {
        guard let stanza = context.stanza else { throw PGVError(.optionRequired, "stanza-delete command requires option: stanza") }
        let index = context.config.int("repo") ?? context.config.repoIndexes.first ?? 1
        let repository = try StanzaRepository.open(context, repo: index)
        let storage = repository.storage
        let layout = repository.layout
        let archiveExists = try await storage.pathExists(layout.archivePath)
        let backupExists = try await storage.pathExists(layout.backupPath)
        guard archiveExists || backupExists else { return 0 }
        let archiveNotEmpty = try await !storage.list(layout.archivePath).isEmpty
        let backupNotEmpty = try await !storage.list(layout.backupPath).isEmpty
        let stopFile = StopFile(lockPath: StopFileCheck.lockPath(context), stanza: stanza)
        var locks: StanzaLocks?
        if archiveNotEmpty || backupNotEmpty {
            guard try await stopFile.exists() else {
                throw PGVError(.fileMissing, "stop file does not exist for stanza '\(stanza)'",
                               hint: "has the pgbackrest stop command been run on this server for this stanza?")
            }
            if !context.config.bool("force"), try await ClusterTarget.from(context).postmasterRunning() {
                throw PGVError(.pgRunning, "postmaster.pid exists - looks like PostgreSQL is running",
                               hint: "to delete stanza '\(stanza)' on \(repository.label), shut down PostgreSQL for "
                                   + "stanza '\(stanza)' and try again, or use --force")
            }
            locks = try await StanzaLocks.acquire(context, stanza: stanza)
            let copy = RepositoryFormat.copyExtension
            if archiveNotEmpty {
                try await storage.remove(layout.archiveInfoPath, errorOnMissing: false)
                try await storage.remove(layout.archiveInfoPath + copy, errorOnMissing: false)
            }
            if backupNotEmpty {
                try await storage.remove(layout.backupInfoPath, errorOnMissing: false)
                try await storage.remove(layout.backupInfoPath + copy, errorOnMissing: false)
            }
        }
        if archiveExists { try await storage.pathRemove(layout.archivePath, recursive: true) }
        if backupExists { try await storage.pathRemove(layout.backupPath, recursive: true) }
        locks?.release()
        try await stopFile.storage().remove(stopFile.fileName, errorOnMissing: false)
        return 0
    }
}
