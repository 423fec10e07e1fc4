import VaultCore
import VaultRepository
import VaultStorage

/// Gathers `InfoStanzaFacts` from the requested repositories (pgBackRest 2.45's info loading rules): the stanzas
/// under `backup/` (or the one `--stanza` names), each stanza's backup.info then archive.info, the `--set` manifest
/// where it exists, the WAL range of every archive id (listing its 16-character directories), and whether the
/// stanza's backup lock is held. Failures are recorded per repository as status codes, never thrown, so one bad
/// repository does not hide the others.
struct InfoCollector {
    let context: CommandContext
    let stanza: String?
    let set: String?

    func collect() async -> [InfoStanzaFacts] {
        let config = context.config
        let indexes = config.int("repo").map { [$0] } ?? (config.repoIndexes.isEmpty ? [1] : config.repoIndexes)
        var stanzas: [InfoStanzaFacts] = []
        var repoErrors: [Int: InfoStanzaFacts.Repo] = [:]
        var backupFound = false
        func blankRepos() -> [InfoStanzaFacts.Repo] {
            indexes.map { InfoStanzaFacts.Repo(key: $0, cipher: config.repo($0).cipherType) }
        }
        for (position, index) in indexes.enumerated() {
            let options = config.repo(index)
            do {
                let storage = try RepositoryStorageFactory.storage(for: options)
                var setOnRepo: String?
                if let set, let stanza, try await storage.exists(RepositoryLayout(stanza: stanza).manifestPath(set)) {
                    backupFound = true
                    setOnRepo = set
                }
                var names = try await storage.list("backup").filter { $0.type == .path }.map(\.name)
                    .sorted { ByteOrder.precedes($0, $1) }
                var exists = true
                if let stanza {
                    exists = names.contains(stanza)
                    names = [stanza]
                }
                for name in names {
                    let slot: Int
                    if let found = stanzas.firstIndex(where: { $0.name == name }) {
                        slot = found
                    } else {
                        stanzas.append(InfoStanzaFacts(name: name, repos: blankRepos()))
                        slot = stanzas.count - 1
                    }
                    await update(&stanzas[slot], position: position, storage: storage, exists: exists, set: setOnRepo)
                }
            } catch {
                var repo = InfoStanzaFacts.Repo(key: index, cipher: options.cipherType)
                Self.record(error, in: &repo)
                repoErrors[position] = repo
            }
        }
        if !repoErrors.isEmpty {
            if stanzas.isEmpty {
                var repos = blankRepos()
                for (position, repo) in repoErrors { repos[position] = repo }
                stanzas.append(InfoStanzaFacts(name: stanza ?? "[invalid]", repos: repos))
            } else {
                for slot in stanzas.indices {
                    for (position, repo) in repoErrors { stanzas[slot].repos[position] = repo }
                }
            }
        }
        if set != nil, !backupFound, let slot = stanzas.firstIndex(where: { $0.name == stanza }) {
            for position in stanzas[slot].repos.indices where stanzas[slot].repos[position].status == 0 {
                stanzas[slot].repos[position].status = 6
                stanzas[slot].repos[position].backupInfo = nil
            }
        }
        return stanzas
    }

    /// Loads one stanza on one repository into `facts.repos[position]`.
    private func update(_ facts: inout InfoStanzaFacts, position: Int, storage: any Storage, exists: Bool,
                        set: String?) async {
        var repo = facts.repos[position]
        guard exists else {
            repo.status = 1
            facts.repos[position] = repo
            return
        }
        let options = context.config.repo(repo.key)
        let repository = StanzaRepository(index: repo.key, stanza: facts.name, storage: storage,
                                          cipherPass: options.cipherType != "none" ? options.cipherPass : nil,
                                          logger: context.logger)
        do {
            do {
                repo.backupInfo = try await repository.loadBackupInfo()
            } catch let error as PGVError where error.code == .fileMissing {
                repo.status = 3
            } catch let error as PGVError where error.code == .crypto {
                throw PGVError(.crypto, error.message, hint: "use option --stanza if encryption settings are different for "
                                   + "the stanza than the global settings")
            }
            if let backupInfo = repo.backupInfo {
                let archiveInfo = try await repository.loadArchiveInfo()
                repo.archiveInfo = archiveInfo
                if let set {
                    repo.manifest = try await repository.store.load(
                        Manifest.self, from: repository.layout.manifestPath(set),
                        passphrase: CipherPassphrases.forManifests(backupInfo)).value
                }
                for history in archiveInfo.history {
                    if let range = try await walRange(repository, archiveId: history.archiveId) {
                        repo.archiveRanges[history.archiveId] = range
                    }
                }
                if !facts.backupLockHeld {
                    let file = CommandLock.path(lockPath: StopFileCheck.lockPath(context), stanza: facts.name, kind: .backup)
                    if let holder = try await BlockingPool.shared.run({ LockFileReader.heldHolder(path: file) }) {
                        facts.backupLockHeld = true
                        facts.percentComplete = holder.percentComplete
                    }
                }
            }
        } catch {
            Self.record(error, in: &repo)
        }
        if facts.current == nil, let current = repo.backupInfo?.current {
            facts.current = InfoStanzaFacts.Cluster(version: current.version, systemId: current.systemId)
        }
        facts.repos[position] = repo
    }

    /// Oldest and newest complete segment (no `.partial`) of one archive id: the first WAL directory (ascending)
    /// holding one gives the minimum, the last (descending) the maximum.
    private func walRange(_ repository: StanzaRepository, archiveId: String) async throws -> InfoStanzaFacts.WalRange? {
        let base = repository.layout.archiveIdPath(archiveId)
        let directories = try await repository.storage.list(base)
            .filter { $0.type == .path && Self.isWalDirectory($0.name) }.map(\.name).sorted { ByteOrder.precedes($0, $1) }
        func segments(_ directory: String) async throws -> [String] {
            try await repository.storage.list(base + "/" + directory).compactMap { entry in
                guard entry.type == .file, let name = WalArchiveName(parsing: entry.name), !name.partial else { return nil }
                return name.segment
            }.sorted { ByteOrder.precedes($0, $1) }
        }
        var minimum: String?
        for directory in directories {
            if let first = try await segments(directory).first { minimum = first; break }
        }
        guard let minimum else { return nil }
        for directory in directories.reversed() {
            if let last = try await segments(directory).last { return InfoStanzaFacts.WalRange(min: minimum, max: last) }
        }
        return nil
    }

    /// `^[0-F]{16}$`.
    static func isWalDirectory(_ name: String) -> Bool {
        name.utf8.count == 16 && name.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x46).contains($0) }
    }

    /// Status 99 with `[ErrorName] message` (and its hint on a second line, as pgBackRest's message carries it).
    static func record(_ error: any Error, in repo: inout InfoStanzaFacts.Repo) {
        let failure = PGVError.wrap(error)
        repo.status = 99
        repo.error = "[\(failure.code.name)] \(failure.message)" + (failure.hint.map { "\nHINT: \($0)" } ?? "")
        repo.backupInfo = nil
        repo.archiveInfo = nil
        repo.manifest = nil
    }
}
