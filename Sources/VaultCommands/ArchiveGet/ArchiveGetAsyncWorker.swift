import VaultConfig
import VaultCore
import VaultRepository
import VaultStorage

/// `archive-get:async SEG...`: the detached worker of asynchronous archive-get, holding the archive lock. The
/// foreground names the segments to prefetch (`ArchiveGetAsyncPlan.queue`).
///
/// The segments are located in order, in the repositories in order (as the synchronous get searches them), up to
/// the first one no repository has; those found are fetched `process-max` at a time into the spool's `in` queue,
/// decrypted and decompressed, each under a temp name renamed into place once complete, so the foreground never
/// sees a partial segment. The first missing segment gets an empty `<seg>.ok` ("not in the archive"), a segment
/// that fails gets `<seg>.error`, and a failure outside one segment `global.error`.
struct ArchiveGetAsyncWorker: Sendable {
    let context: CommandContext

    /// A repository that can be searched: its archive.info and the archive ids matching the cluster.
    struct Source: Sendable {
        let repository: StanzaRepository
        let info: ArchiveInfo
        let archiveIds: [String]
    }

    func run() async throws -> Int32 {
        let config = context.config
        let stanza = context.stanza ?? ""
        let spool = try ArchiveSpool(spoolPath: config.string("spool-path") ?? "/var/spool/pgbackrest", stanza: stanza)
        let lock = try CommandLock.acquire(lockPath: StopFileCheck.lockPath(context), stanza: stanza, kind: .archive,
                                           execId: context.execId)
        defer { lock.release() }
        do {
            guard !config.arguments.isEmpty else {
                throw PGVError(.paramInvalid, "at least one wal segment is required")
            }
            context.logger.notice("\(ArchiveGetAsyncPlan.startMessage(config.arguments))")
            try await spool.create(.in)
            try await fetch(config.arguments, spool: spool, sources: try await sources())
        } catch {
            let failure = PGVError.wrap(error)
            try? await spool.writeError(.in, walName: nil, failure)
            throw failure
        }
        return 0
    }

    /// The repositories whose archive.info matches pg1-path's pg_control; unreadable ones are skipped with a
    /// warning, none left is RepoInvalidError [103].
    private func sources() async throws -> [Source] {
        let control = try await ClusterTarget.from(context).readControl()
        var sources: [Source] = []
        for repository in try StanzaRepository.openAll(context) {
            do {
                let info = try await repository.loadArchiveInfo()
                let ids = ArchiveGetPlan.archiveIds(info, version: control.version.name,
                                                    systemId: control.systemIdentifier)
                guard !ids.isEmpty else {
                    throw PGVError(.archiveMismatch, "unable to retrieve the archive id for database version "
                                   + "'\(control.version.name)' and system-id '\(control.systemIdentifier)'")
                }
                sources.append(Source(repository: repository, info: info, archiveIds: ids))
            } catch {
                context.logger.warning("\(ArchiveRepositoryFailure(label: repository.label, error: error).logText)")
            }
        }
        guard !sources.isEmpty else { throw PGVError(.repoInvalid, "unable to find a valid repository") }
        return sources
    }

    private func fetch(_ segments: [String], spool: ArchiveSpool, sources: [Source]) async throws {
        var found: [(name: String, job: ArchiveGetFileJob)] = []
        var missing: String? = nil
        search: for name in segments {
            for source in sources {
                guard let location = try await ArchiveGetCommand().find(
                    name, in: source.repository, archiveIds: source.archiveIds) else { continue }
                let job = ArchiveGetFileJob(
                    storage: source.repository.storage, location: location,
                    passphrase: source.repository.isEncrypted ? source.info.cipherPass : nil,
                    source: "\(source.repository.label): \(location.archiveId)")
                found.append((name, job))
                continue search
            }
            missing = name
            break
        }

        let queue = try PosixStorage(root: spool.absolutePath(.in))
        let logger = context.logger
        let processMax = max(1, context.config.int("process-max") ?? 1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func addNext() {
                let (name, job) = found[next]
                next += 1
                group.addTask {
                    do {
                        try await job.copy(to: queue, name: name)
                        logger.info("found \(name) in the \(job.source) archive")
                    } catch {
                        let failure = PGVError.wrap(error)
                        logger.warning("[\(failure.code.name)] \(failure.message)")
                        try await spool.writeError(.in, walName: name, failure)
                    }
                }
            }
            while next < found.count && next < processMax { addNext() }
            while try await group.next() != nil {
                if next < found.count { addNext() }
            }
        }
        if let missing {
            logger.info("unable to find \(missing) in the archive")
            try await spool.writeOk(.in, walName: missing)
        }
    }
}
