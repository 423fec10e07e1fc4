import VaultCore
import VaultRepository
import VaultStorage

/// Gathers `MetricsFacts` from the repositories: the info facts through `InfoCollector` (the same loading rules as
/// `info`: .copy fallback, encryption, per-repository status codes), then per loaded repository the stored verify
/// status (one GET of `pgvault.verify.json`) and the newest archived segment's modification time (one listing of
/// its WAL directory). Errors become status codes or absent samples, never a failed scrape.
struct MetricsCollector {
    let context: CommandContext

    func collect() async -> [MetricsFacts] {
        let stanzas = await InfoCollector(context: context, stanza: context.stanza, set: nil).collect()
        var result: [MetricsFacts] = []
        for info in stanzas {
            var facts = MetricsFacts(info: info)
            for repo in info.repos where repo.backupInfo != nil {
                facts.repos[repo.key] = await repoFacts(repo, stanza: info.name)
            }
            result.append(facts)
        }
        return result
    }

    /// Re-reads the backup lock of every stanza (a local `flock(2)` probe and read, cheap enough for every scrape).
    func refreshLocks(_ stanzas: [MetricsFacts]) async -> [MetricsFacts] {
        var result = stanzas
        for index in result.indices {
            let file = CommandLock.path(lockPath: StopFileCheck.lockPath(context), stanza: result[index].info.name,
                                        kind: .backup)
            let holder = try? await BlockingPool.shared.run { LockFileReader.heldHolder(path: file) }
            result[index].info.backupLockHeld = holder != nil
            result[index].info.percentComplete = holder?.percentComplete
        }
        return result
    }

    private func repoFacts(_ repo: InfoStanzaFacts.Repo, stanza: String) async -> MetricsFacts.Repo {
        var facts = MetricsFacts.Repo()
        let options = context.config.repo(repo.key)
        guard let storage = try? RepositoryStorageFactory.storage(for: options) else { return facts }
        let repository = StanzaRepository(index: repo.key, stanza: stanza, storage: storage,
                                          cipherPass: options.cipherType != "none" ? options.cipherPass : nil,
                                          logger: context.logger)
        facts.verify = try? await VerifyStatusFile.read(from: repository)
        if let archiveId = repo.archiveInfo?.current.archiveId, let newest = repo.archiveRanges[archiveId]?.max {
            let directory = repository.layout.walDirectory(archiveId: archiveId, walName: newest)
            let entries = (try? await storage.list(directory)) ?? []
            facts.walMaxTimestamp = entries.filter { $0.type == .file && $0.name.hasPrefix(newest + "-") }
                .map(\.modified).max()
        }
        return facts
    }
}
