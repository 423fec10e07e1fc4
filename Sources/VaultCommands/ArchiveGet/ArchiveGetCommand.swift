import VaultConfig
import VaultCore
import VaultIO
import VaultPostgres
import VaultRepository
import VaultStorage

/// `archive-get WALNAME DEST`: PostgreSQL's `restore_command` (`%f %p`), synchronous. Also `archive-get --ls`.
///
/// Repositories are searched in order; in each, the archive ids of archive.info's history whose version and system
/// id match pg1-path's pg_control, newest first (reference §6). Segments are found by `<name>-<sha1>[.ext]` in
/// their 16-character directory (copies with different SHA-1s: 045), other files by exact name. The first copy is
/// decrypted, decompressed, checked against its SHA-1 (026) and written atomically to DEST. Exit 0 when written,
/// 1 when no repository has it (end of archive for PostgreSQL, logged at INFO); a repository that cannot be read
/// is skipped with a warning, and when none can be, RepoInvalidError [103]. Stop files (062) are checked once a
/// copy is found.
///
/// With `archive-async=y`, a WAL segment (not a history or other file) is taken from the spool instead
/// (`ArchiveGetAsyncForeground`), which a detached `archive-get:async` worker (`ArchiveGetAsyncWorker`) fills.
public struct ArchiveGetCommand: VaultCommand {
    public static let name = "archive-get"

    public init() {}

    public func run(_ context: CommandContext) async throws -> Int32 {
        let config = context.config
        if config.role == "async" { return try await ArchiveGetAsyncWorker(context: context).run() }
        guard let stanza = context.stanza else {
            throw PGVError(.optionRequired, "\(Self.name) command requires option: stanza")
        }
        if config.bool("ls") {
            guard let repository = try StanzaRepository.openAll(context).first else { return 0 }
            for entry in try await ArchiveWalListing.list(repository) { context.output.line(entry.line) }
            return 0
        }
        guard let walName = config.arguments.first else {
            throw PGVError(.parameterRequired, "WAL segment to get required")
        }
        guard config.arguments.count > 1 else {
            throw PGVError(.parameterRequired, "path to copy WAL segment required")
        }
        let lockPath = config.string("lock-path") ?? "/tmp/pgbackrest"

        let target = try ClusterTarget.from(context)
        let destination = try ArchiveCommandPath.absolute(config.arguments[1], pgPath: target.dataPath,
                                                          command: Self.name)
        if config.bool("archive-async") && WalSegmentName.isSegment(walName) {
            return try await ArchiveGetAsyncForeground(context: context, walName: walName, destination: destination).run()
        }
        let control = try await target.readControl()
        let version = control.version.name
        let (destinationDirectory, destinationName) = ArchiveCommandPath.split(destination)
        let destinationStorage = try PosixStorage(root: destinationDirectory)

        var usable = 0
        var fetchFailure: PGVError? = nil
        for repository in try StanzaRepository.openAll(context) {
            let info: ArchiveInfo
            let archiveIds: [String]
            do {
                info = try await repository.loadArchiveInfo()
                archiveIds = ArchiveGetPlan.archiveIds(info, version: version, systemId: control.systemIdentifier)
                guard !archiveIds.isEmpty else {
                    throw PGVError(.archiveMismatch, "unable to retrieve the archive id for database version "
                                   + "'\(version)' and system-id '\(control.systemIdentifier)'")
                }
            } catch {
                context.logger.warning("\(ArchiveRepositoryFailure(label: repository.label, error: error).logText)")
                continue
            }
            usable += 1
            guard let location = try await find(walName, in: repository, archiveIds: archiveIds) else { continue }
            // Like pgBackRest 2.45, stop files are checked only once there is something to copy: a missing file is
            // still "not found" (1) while stopped.
            try await StopFileCheck.verify(lockPath: lockPath, stanza: stanza)
            let source = "\(repository.label): \(location.archiveId)"
            let job = ArchiveGetFileJob(storage: repository.storage, location: location,
                                        passphrase: repository.isEncrypted ? info.cipherPass : nil, source: source)
            do {
                try await job.copy(to: destinationStorage, name: destinationName)
            } catch {
                let failure = ArchiveRepositoryFailure(label: repository.label, error: error)
                context.logger.warning("\(failure.logText)")
                fetchFailure = fetchFailure ?? failure.error
                continue
            }
            context.logger.notice("found \(walName) in the \(source) archive")
            return 0
        }
        if let fetchFailure { throw fetchFailure }
        guard usable > 0 else { throw PGVError(.repoInvalid, "unable to find a valid repository") }
        context.logger.notice("unable to find \(walName) in the archive")
        return 1
    }

    /// The first copy of `walName` in `archiveIds` (newest first) of one repository: one listing of the
    /// 16-character directory per archive id for a segment, one `info` per archive id for other files.
    func find(_ walName: String, in repository: StanzaRepository, archiveIds: [String]) async throws
        -> ArchiveGetPlan.Location? {
        for archiveId in archiveIds {
            let directory = repository.layout.walDirectory(archiveId: archiveId, walName: walName)
            if ArchiveGetPlan.isSegment(walName) {
                let listed = try await repository.storage.list(directory).filter { $0.type == .file }.map(\.name)
                let candidates = ArchiveGetPlan.segmentCandidates(name: walName, listed: listed)
                if let chosen = try ArchiveGetPlan.choose(
                    name: walName, candidates: candidates, archiveId: archiveId, directory: String(walName.prefix(16)),
                    repoLabel: repository.label) {
                    return ArchiveGetPlan.Location(archiveId: archiveId, path: directory + "/" + chosen.fileName,
                                                   sha1: chosen.sha1, compressType: chosen.compressType)
                }
            } else {
                let path = directory + "/" + walName
                if try await repository.storage.info(path)?.type == .file {
                    return ArchiveGetPlan.Location(archiveId: archiveId, path: path, sha1: nil, compressType: .none)
                }
            }
        }
        return nil
    }
}
