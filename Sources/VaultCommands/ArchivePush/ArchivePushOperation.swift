import Logging
import VaultConfig
import VaultCore
import VaultIO
import VaultPostgres
import VaultRepository
import VaultStorage

/// Pushing WAL files to every repository, as the synchronous archive-push and the async worker both do it: the
/// repositories are checked once (`prepare`), then `push` handles one file at a time and may run in parallel.
///
/// `prepare` (reference §6): pg1-path's pg_control against each repository's current archive.info entry (a
/// repository that fails is left out and reported with every file; none left is RepoInvalidError [103]); without
/// pg1-path the repositories must agree (044).
///
/// `push`: one read of the file for its SHA-1 and page header (archive-header-check, 044); one listing per repository
/// for an archived copy (same SHA-1: skip with a warning; another: 045, nothing written anywhere); then the file is
/// streamed to every remaining repository. A repository that fails makes the push fail with CommandError [104]
/// naming it, after the others have their copy (a retry then finds it with the same checksum). When `push`
/// returns, the file is durable in every repository: the POSIX writer fsyncs the file and its directory.
///
/// With one repository a segment is compressed and encrypted while its SHA-1 is computed (two reads of the file
/// on two cores); the encoded bytes wait in memory (`DeferredStorageWriter`) until the checks pass and the name is
/// known, so a duplicate or a failed check still writes nothing.
struct ArchivePushOperation: Sendable {
    /// A repository that passed the checks, with its archive.info.
    struct Target: Sendable {
        let repository: StanzaRepository
        let info: ArchiveInfo
    }

    let targets: [Target]
    /// Repositories that failed the checks: every push fails with them named.
    let failures: [ArchiveRepositoryFailure]
    let cluster: ArchivePushPlan.Cluster?
    let compressType: CompressionType
    let compressLevel: Int?
    let headerCheck: Bool
    let modeCheck: Bool
    let logger: Logger

    /// Loads and checks every repository once.
    static func prepare(_ context: CommandContext) async throws -> ArchivePushOperation {
        let config = context.config
        var cluster: ArchivePushPlan.Cluster? = nil
        if config.pg(1).path != nil {
            let control = try await ClusterTarget.from(context).readControl()
            cluster = ArchivePushPlan.Cluster(version: control.version.name, systemId: control.systemIdentifier)
        }
        var failures: [ArchiveRepositoryFailure] = []
        var targets: [Target] = []
        for repository in try StanzaRepository.openAll(context) {
            do {
                let info = try await repository.loadArchiveInfo()
                if let cluster { try ArchivePushPlan.checkCluster(cluster, against: info, repoLabel: repository.label) }
                if repository.isEncrypted && info.cipherPass == nil {
                    throw PGVError(.crypto, "archive.info of \(repository.label) has no cipher-pass for encrypted WAL")
                }
                targets.append(Target(repository: repository, info: info))
            } catch {
                failures.append(ArchiveRepositoryFailure(label: repository.label, error: error))
            }
        }
        guard !targets.isEmpty else {
            throw ArchiveRepositoryFailure.combined(.repoInvalid, "unable to find a valid repository", failures)
        }
        if cluster == nil {
            cluster = try ArchivePushPlan.agreedCluster(targets.map { ($0.repository.label, $0.info) })
        }
        return ArchivePushOperation(
            targets: targets, failures: failures, cluster: cluster,
            compressType: CompressionType(rawValue: config.string("compress-type") ?? "gz") ?? .gz,
            compressLevel: config.int("compress-level"), headerCheck: config.bool("archive-header-check"),
            modeCheck: config.bool("archive-mode-check"), logger: context.logger)
    }

    /// Pushes the file at the absolute `walPath` to every target and returns the warnings to report (a segment
    /// already archived with the same checksum). Throws when any repository lacks the file afterwards.
    func push(walPath: String) async throws -> [String] {
        let (walDirectory, walName) = ArchiveCommandPath.split(walPath)
        let segment = ArchivePushPlan.isSegment(walName)
        var failures = self.failures
        var warnings: [String] = []
        func job(for target: Target) throws -> ArchivePushFileJob {
            ArchivePushFileJob(
                source: try PosixStorage(root: walDirectory), sourcePath: walName,
                compressType: segment ? compressType : .none, compressLevel: compressLevel,
                passphrase: target.repository.isEncrypted ? target.info.cipherPass : nil)
        }

        // With one repository, a segment is compressed and encrypted on one core while the other computes the
        // SHA-1 its stored name needs; nothing is written until the checks below pass.
        var pending: ArchivePushFileJob.Pending? = nil
        let encodePool = BlockingPool(threads: 1)
        defer { encodePool.shutdownNow() }
        if segment && targets.count == 1 {
            pending = try await job(for: targets[0]).start(pool: encodePool)
        }
        do {
            var sha1 = ""
            if segment {
                let digest = try await WalSourceDigest.read(path: walPath)
                sha1 = digest.sha1
                if headerCheck, let cluster {
                    let header = try WalPageHeader(bytes: digest.header, path: walPath)
                    try ArchivePushPlan.checkHeader(header, walPath: walPath, cluster: cluster)
                }
            }

            var writes: [Target] = []
            for target in targets {
                guard segment else { writes.append(target); continue }
                let existing: [WalArchiveName]
                do {
                    existing = try await WalArchiveLookup(repository: target.repository,
                                                          archiveId: target.info.currentArchiveId).find(segment: walName)
                } catch {
                    failures.append(ArchiveRepositoryFailure(label: target.repository.label, error: error))
                    continue
                }
                switch ArchivePushPlan.duplicateDecision(name: walName, existing: existing, sha1: sha1) {
                case .push:
                    writes.append(target)
                case .skipSameChecksum:
                    if modeCheck {
                        warnings.append("""
                            WAL file '\(walName)' already exists in the \(target.repository.label) archive with the same checksum
                            HINT: this is valid in some recovery scenarios but may also indicate a problem.
                            """)
                    }
                case .conflict:
                    throw PGVError(.archiveDuplicate, "WAL file '\(walName)' already exists in the "
                                   + "\(target.repository.label) archive with a different checksum")
                }
            }

            for target in writes {
                let path = ArchivePushPlan.repositoryPath(
                    name: walName, layout: target.repository.layout, archiveId: target.info.currentArchiveId,
                    sha1: sha1, compressType: compressType)
                do {
                    if let started = pending {
                        pending = nil
                        try await started.commit(to: target.repository.storage, path: path)
                    } else {
                        try await job(for: target).write(to: target.repository.storage, path: path)
                    }
                } catch {
                    failures.append(ArchiveRepositoryFailure(label: target.repository.label, error: error))
                }
            }
            await pending?.discard()
        } catch {
            await pending?.discard()
            throw error
        }
        if !failures.isEmpty {
            for failure in failures { logger.warning("\(failure.logText)") }
            throw ArchiveRepositoryFailure.combined(.command, "archive-push command encountered error(s)", failures)
        }
        return warnings
    }
}
