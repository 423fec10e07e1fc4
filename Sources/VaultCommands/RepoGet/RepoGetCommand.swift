import VaultCore
import VaultIO
import VaultRepository
import VaultStorage

/// `repo-get PATH` (pgBackRest 2.45, plus decompression): streams one repository file to standard output,
/// decrypted with the passphrase that applies to it and decompressed (`RepoGetPlan`), through `StorageCopy` in
/// 64 KiB reads so memory stays bounded whatever the file's size. Info files and manifests that hold a passphrase
/// are loaded with their `.copy` fallback. A missing file is FileMissingError (055); with `--ignore-missing` the
/// command prints nothing and exits 1, as pgBackRest does.
public struct RepoGetCommand: VaultCommand {
    public static let name = "repo-get"
    public init() {}

    /// Stored bytes per read: decompression expands each chunk, and one chunk's output is held at a time.
    static let chunkSize = 64 * 1024

    public func run(_ context: CommandContext) async throws -> Int32 {
        let config = context.config
        let target = try RepoCommandTarget(config: config, arguments: config.arguments, pathRequired: true)
        let repo = config.repo(target.repoIndex)
        let encrypted = repo.cipherType != "none"
        let plan = try RepoGetPlan.decide(path: target.path, encrypted: encrypted, raw: config.bool("raw"),
                                          cipherPass: config.string("cipher-pass"), stanzaOption: context.stanza)
        let storage = try target.storage(config)
        let store = InfoFileStore(storage: storage)
        let repoPass = encrypted ? repo.cipherPass : nil

        var setCompressType: CompressionType?
        var passphrase: String?
        switch plan.passphrase {
        case .notEncrypted: passphrase = nil
        case .given(let given): passphrase = given
        case .repository: passphrase = repoPass
        case .archiveInfo(let stanza):
            passphrase = try await store.load(ArchiveInfo.self, from: RepositoryLayout(stanza: stanza).archiveInfoPath,
                                              passphrase: repoPass).value.cipherPass
        case .backupInfo(let stanza):
            passphrase = try await backupPass(store, stanza: stanza, repoPass: repoPass)
        case .manifest(let stanza, let label):
            let manifest = try await store.load(Manifest.self, from: RepositoryLayout(stanza: stanza).manifestPath(label),
                                                passphrase: try await backupPass(store, stanza: stanza, repoPass: repoPass))
                .value
            passphrase = manifest.cipherPass
            setCompressType = manifest.options.compressType
        }
        if encrypted && plan.passphrase != .notEncrypted && passphrase == nil {
            throw PGVError(.optionInvalidValue, "unable to determine cipher passphrase for '\(target.path)'")
        }
        if setCompressType == nil, let label = plan.setLabel, let stanza = plan.stanza, !encrypted {
            // Unencrypted: the manifest is read only to learn the set's compression; without one, the extension rules.
            setCompressType = try? await store.load(Manifest.self, from: RepositoryLayout(stanza: stanza).manifestPath(label),
                                                    passphrase: nil).value.options.compressType
        }

        let reader: any StorageReader
        do {
            reader = try await storage.openRead(target.path, offset: 0, length: nil)
        } catch let error as PGVError where error.code == .fileMissing && config.bool("ignore-missing") {
            return 1
        }
        var stages: [any ByteStage] = []
        if let passphrase { stages.append(try AESCipherStage(mode: .decrypt, passphrase: passphrase)) }
        if let decompress = try plan.compression(setCompressType: setCompressType).decompressStage() {
            stages.append(decompress)
        }
        try await StorageCopy.copy(from: reader, through: stages, to: CommandOutputWriter(context.output),
                                   chunkSize: Self.chunkSize)
        return 0
    }

    /// `[cipher] cipher-pass` of the stanza's backup.info.
    private func backupPass(_ store: InfoFileStore, stanza: String, repoPass: String?) async throws -> String? {
        try await store.load(BackupInfo.self, from: RepositoryLayout(stanza: stanza).backupInfoPath, passphrase: repoPass)
            .value.cipherPass
    }
}
