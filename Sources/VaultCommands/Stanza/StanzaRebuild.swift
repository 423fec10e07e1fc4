import Logging
import VaultCore
import VaultPostgres
import VaultRepository

/// Rebuilds lost archive.info and backup.info of one repository (`stanza-create --force`, pgvault's own).
struct StanzaRebuild {
    let repository: StanzaRepository
    let control: PgControl
    let logger: Logger

    func run() async throws -> (archive: ArchiveInfo, backup: BackupInfo) {
        throw PGVError(.notImplemented, "stanza-create --force (rebuilding lost info files) is not implemented yet",
                       hint: "restore archive.info and backup.info (or their .copy files) from a copy of the repository")
    }
}
