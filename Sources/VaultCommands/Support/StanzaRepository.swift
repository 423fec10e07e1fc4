import Logging
import VaultConfig
import VaultCore
import VaultRepository
import VaultStorage

/// One configured repository (`repoN`) opened for one stanza: its storage, layout, user passphrase and info-file
/// store. Every command that touches a repository goes through this, so passphrase handling and `.copy` fallback
/// warnings are the same everywhere.
public struct StanzaRepository: Sendable {
    public let index: Int
    public let stanza: String
    public let storage: any Storage
    public let layout: RepositoryLayout
    /// `repoN-cipher-pass` when `repoN-cipher-type=aes-256-cbc`; encrypts archive.info and backup.info.
    public let cipherPass: String?
    public let store: InfoFileStore
    let logger: Logger

    public init(index: Int, stanza: String, storage: any Storage, cipherPass: String?, logger: Logger) {
        self.index = index
        self.stanza = stanza
        self.storage = storage
        self.layout = RepositoryLayout(stanza: stanza)
        self.cipherPass = cipherPass
        self.store = InfoFileStore(storage: storage)
        self.logger = logger
    }

    /// Opens `repoN` from the configuration.
    public static func open(_ context: CommandContext, repo index: Int) throws -> StanzaRepository {
        guard let stanza = context.stanza else {
            throw PGVError(.optionRequired, "\(context.config.command) command requires option: stanza")
        }
        let options = context.config.repo(index)
        let encrypted = options.cipherType != "none"
        return StanzaRepository(index: index, stanza: stanza, storage: try RepositoryStorageFactory.storage(for: options),
                                cipherPass: encrypted ? options.cipherPass : nil, logger: context.logger)
    }

    /// Every configured repository in index order, or only `--repo` when given.
    public static func openAll(_ context: CommandContext) throws -> [StanzaRepository] {
        let indexes = context.config.int("repo").map { [$0] } ?? context.config.repoIndexes
        return try (indexes.isEmpty ? [1] : indexes).map { try open(context, repo: $0) }
    }

    public var isEncrypted: Bool { cipherPass != nil }

    /// `repo1: ` prefix for messages when several repositories are configured.
    public var label: String { "repo\(index)" }

    public func loadArchiveInfo() async throws -> ArchiveInfo {
        try await load(ArchiveInfo.self, layout.archiveInfoPath)
    }

    public func loadBackupInfo() async throws -> BackupInfo {
        try await load(BackupInfo.self, layout.backupInfoPath)
    }

    /// Writes archive.info and its copy from one buffer, atomically and durably.
    public func save(_ info: ArchiveInfo) async throws {
        try await store.save(info, to: layout.archiveInfoPath, passphrase: cipherPass)
    }

    /// Writes backup.info and its copy from one buffer, atomically and durably.
    public func save(_ info: BackupInfo) async throws {
        try await store.save(info, to: layout.backupInfoPath, passphrase: cipherPass)
    }

    private func load<T: InfoDocument>(_ type: T.Type, _ path: String) async throws -> T {
        let logger = self.logger
        let label = self.label
        do {
            return try await store.load(type, from: path, passphrase: cipherPass, onFallback: { error in
                logger.warning("\(label): '\(path)' is unreadable, using its copy: [\(error.code)] \(error.message)")
            }).value
        } catch let error as PGVError where error.code == .fileMissing {
            throw PGVError(.fileMissing, "\(label): \(error.message)",
                           hint: "is stanza '\(stanza)' created? run stanza-create, or check repo\(index)-path")
        }
    }
}
