import VaultConfig
import VaultCore
import VaultRepository

/// `annotate --set=LABEL --annotation=key=value...` (pgBackRest 2.45): under the stanza's backup lock, for every
/// repository (or `--repo`) whose backup.info (reconstructed as backup does, `BackupInfoReconstruction`) lists the
/// set, merges the annotations (`AnnotatePlan`) into its backup.info entry. pgvault also writes the result into the
/// set's `backup.manifest` and `.copy` `[metadata]` (pgBackRest 2.45 leaves the manifest alone), so a rebuild from
/// manifests keeps annotations; the manifest is saved first, then backup.info. A failing repository is logged and
/// counted: CommandError (104) at the end; no repository holding the set is BackupSetInvalidError (075). Stop files
/// are not tested, as in 2.45.
public struct AnnotateCommand: VaultCommand {
    public static let name = "annotate"
    public init() {}

    public func run(_ context: CommandContext) async throws -> Int32 {
        guard let stanza = context.stanza else { throw PGVError(.optionRequired, "annotate command requires option: stanza") }
        let label = context.config.string("set") ?? ""
        try AnnotatePlan.validateLabel(label)
        let changes = context.config.hashEntries("annotation")
        let lockPath = StopFileCheck.lockPath(context)
        let execId = context.execId
        let lock = try await BlockingPool.shared.run {
            try CommandLock.acquire(lockPath: lockPath, stanza: stanza, kind: .backup, execId: execId)
        }
        defer { lock.release() }

        var processed = 0
        var errors = 0
        for repository in try StanzaRepository.openAll(context) {
            do {
                if try await annotate(repository, label: label, changes: changes, context: context) { processed += 1 }
            } catch {
                let failure = PGVError.wrap(error, as: .unknown, context: repository.label)
                context.logger.error("\(PGVError(failure.code, "\(repository.label): \(failure.message)"))")
                errors += 1
            }
        }
        if errors > 0 {
            throw PGVError(.command, "annotate command encountered \(errors) error(s), check the log file for details")
        }
        if processed == 0 { throw PGVError(.backupSetInvalid, "no backup set to annotate found") }
        return 0
    }

    /// Annotates `label` in one repository; false when its backup.info does not list it.
    private func annotate(_ repository: StanzaRepository, label: String, changes: [OptionHashEntry],
                          context: CommandContext) async throws -> Bool {
        let (reconstructed, warnings) = try await BackupInfoReconstruction.reconstruct(
            try await repository.loadBackupInfo(), storage: repository.storage, layout: repository.layout,
            store: repository.store)
        for warning in warnings { context.logger.warning("\(repository.label): \(warning)") }
        var info = reconstructed
        guard var entry = info.backup(label) else { return false }
        context.logger.notice("backup set '\(label)' to annotate found in \(repository.label)")
        entry.annotation = AnnotatePlan.merge(entry.annotation, changes: changes)

        let manifestPath = repository.layout.manifestPath(label)
        var manifest = try await repository.store.load(ManifestAnnotationDocument.self, from: manifestPath,
                                                       passphrase: info.cipherPass).value
        manifest.setAnnotation(entry.annotation)
        try await repository.store.save(manifest, to: manifestPath, passphrase: info.cipherPass, order: .copyFirst)

        info.add(entry)
        try await repository.save(info)
        return true
    }
}
