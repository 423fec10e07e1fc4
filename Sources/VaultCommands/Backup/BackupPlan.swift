import VaultCore
import VaultIO
import VaultRepository

/// The pure decisions of a backup (reference §5 steps 3, 6, 7 and 9): which prior a diff/incr builds on, when
/// delta is forced, which files are referenced from the prior instead of copied, and the new label. No I/O: the
/// command hands in facts (backup.info entries, manifests, clock) and executes what comes back.
public enum BackupPlan {
    /// The outcome of prior selection.
    public struct PriorChoice: Sendable, Equatable {
        /// The type actually taken: a diff/incr without a prior becomes full.
        public var type: BackupType
        /// The backup the new one is based on (nil for full).
        public var prior: BackupInfo.Entry?
        /// pgBackRest's warning when the type was changed.
        public var warning: String?
    }

    /// A diff builds on the newest full, an incr on the newest backup of any type; both only among backups of the
    /// current cluster (`dbId`). Without one the backup becomes full with pgBackRest's warning.
    public static func choosePrior(requested: BackupType, backups: [BackupInfo.Entry], dbId: UInt32) -> PriorChoice {
        guard requested != .full else { return PriorChoice(type: .full, prior: nil, warning: nil) }
        let candidates = backups.filter { $0.dbId == dbId && (requested == .incr || $0.type == .full) }
        guard let prior = candidates.max(by: { ByteOrder.precedes($0.label, $1.label) }) else {
            return PriorChoice(type: .full, prior: nil,
                               warning: "no prior backup exists, \(requested.rawValue) backup has been changed to full")
        }
        return PriorChoice(type: requested, prior: prior, warning: nil)
    }

    /// What happens to one file of the new manifest.
    public enum FileAction: Sendable, Equatable {
        /// Read, hash, compress, encrypt and store it in the new set.
        case copy
        /// Unchanged by size and timestamp: point at the label that holds it, read nothing.
        case reference(String)
        /// Same size, but timestamps are not trusted: hash the file; keep the reference when the SHA-1 equals
        /// `checksum`, copy it otherwise.
        case delta(reference: String, checksum: String)
    }

    /// Why delta checksums are turned on for this backup (pgBackRest's warnings), nil when they need not be.
    /// - `timelineChanged`: the prior's stop WAL timeline differs from this backup's start timeline.
    /// - `onlineChanged`: the prior was taken with the other `online` setting.
    /// - a file whose mtime went backwards, or kept its mtime but changed size.
    /// - a file modified after the copy started (`copyStart`).
    public static func deltaReason(files: [ManifestFile], prior: Manifest?, priorLabel: String?, timelineChanged: Bool,
                                   onlineChanged: Bool, copyStart: Int64?) -> String? {
        if let copyStart, let future = files.first(where: { $0.timestamp > copyStart }) {
            return "file '\(future.name)' has timestamp (\(future.timestamp)) in the future (relative to copy start "
                + "\(copyStart)), enabling delta checksum"
        }
        guard let prior, let priorLabel else { return nil }
        if onlineChanged {
            return "the online option has changed since the last backup, enabling delta checksum"
        }
        if timelineChanged {
            return "a timeline switch has occurred since the \(priorLabel) backup, enabling delta checksum"
        }
        for file in files {
            guard let old = prior.file(named: file.name) else { continue }
            if file.timestamp < old.timestamp {
                return "file '\(file.name)' has timestamp earlier than prior backup (prior \(old.timestamp), current "
                    + "\(file.timestamp)), enabling delta checksum"
            }
            if file.timestamp == old.timestamp && file.size != old.size {
                return "file '\(file.name)' has same timestamp (\(file.timestamp)) as prior but different size (prior "
                    + "\(old.size), current \(file.size)), enabling delta checksum"
            }
        }
        return nil
    }

    /// The action for `file` given its entry in the prior manifest. A file is referenced when the prior has it with
    /// the same size and the same timestamp (or size 0); with `delta`, any same-size non-empty file is checked by
    /// SHA-1 instead. The reference names the label that physically holds the bytes, following the chain.
    public static func action(for file: ManifestFile, prior: ManifestFile?, priorLabel: String?, delta: Bool) -> FileAction {
        guard let prior, let priorLabel, file.size == prior.size else { return .copy }
        let holder = prior.reference ?? priorLabel
        if delta && file.size != 0 { return .delta(reference: holder, checksum: prior.checksum) }
        if file.size == 0 || file.timestamp == prior.timestamp { return .reference(holder) }
        return .copy
    }

    /// Applies the prior's stored facts to a referenced (or delta-candidate) entry: checksum, repository checksum
    /// and size, bundle position and page-checksum results are the prior's, `reference` its holder.
    public static func referenced(_ file: ManifestFile, from prior: ManifestFile, holder: String) -> ManifestFile {
        var result = file
        result.reference = holder
        result.checksum = prior.checksum
        result.repoChecksum = prior.repoChecksum
        result.repoSize = prior.repoSize
        result.bundleId = prior.bundleId
        result.bundleOffset = prior.bundleOffset
        result.checksumPage = prior.checksumPage
        result.checksumPageError = prior.checksumPageError
        return result
    }

    /// Decides every file of `manifest` against `prior` and records references in it; returns the actions by name.
    public static func applyIncremental(to manifest: inout Manifest, prior: Manifest?, delta: Bool) -> [String: FileAction] {
        var actions: [String: FileAction] = [:]
        for index in manifest.files.indices {
            let file = manifest.files[index]
            let old = prior?.file(named: file.name)
            let action = action(for: file, prior: old, priorLabel: prior?.backup.label, delta: delta)
            actions[file.name] = action
            switch action {
            case .copy: break
            case .reference(let holder), .delta(let holder, _):
                manifest.files[index] = referenced(file, from: old!, holder: holder)
            }
        }
        return actions
    }

    /// `backup-reference` of the new manifest: the prior's list (or the prior alone when it has none), then the
    /// new label.
    public static func references(priorReferences: [String], priorLabel: String?, label: String) -> [String] {
        guard let priorLabel else { return [label] }
        var list = priorReferences.isEmpty ? [priorLabel] : priorReferences
        if !list.contains(priorLabel) { list.append(priorLabel) }
        list.append(label)
        return list
    }

    /// The compression and checksum-page settings a diff/incr inherits from its prior (reference §5 step 3): the
    /// prior's compress-type (and then its level) and its checksum-page.
    public struct Settings: Sendable, Equatable {
        public var compressType: CompressionType
        public var compressLevel: Int
        public var checksumPage: Bool

        public init(compressType: CompressionType, compressLevel: Int, checksumPage: Bool) {
            self.compressType = compressType
            self.compressLevel = compressLevel
            self.checksumPage = checksumPage
        }
    }

    /// The settings in force: requested ones for a full, the prior's for diff/incr.
    public static func settings(requested: Settings, prior: Manifest.Options?) -> Settings {
        guard let prior else { return requested }
        let level = prior.compressLevel.map { Int($0) } ?? prior.compressType.defaultLevel
        return Settings(compressType: prior.compressType, compressLevel: level,
                        checksumPage: prior.checksumPage ?? requested.checksumPage)
    }

    /// The backup's start time, which its label is made from: the database clock (`clock_timestamp()`, whole
    /// seconds) when online, as pgBackRest takes it, so that labels follow the cluster's clock and not this host's;
    /// `local` (`time(2)`) when offline.
    public static func startTime(database: Double?, local: Int64) -> Int64 {
        database.map { Int64($0.rounded(.down)) } ?? local
    }

    /// The label of the new set (`BackupLabel.next`: after every existing label, +1 s once, else 106).
    public static func label(type: BackupType, prior: String?, existing: [String], now: Int64,
                             stamp: (Int64) -> BackupLabel.Stamp = BackupLabel.Stamp.local) throws -> BackupLabel {
        try BackupLabel.next(type: type, prior: try prior.map(BackupLabel.init), existing: existing, now: now,
                             stamp: stamp)
    }

    /// The copy order: largest first, then by name for a stable order.
    public static func copyOrder(_ files: [ManifestFile]) -> [ManifestFile] {
        files.sorted { $0.size != $1.size ? $0.size > $1.size : ByteOrder.precedes($0.name, $1.name) }
    }

    /// How often the in-progress manifest is saved during the copy: every max(1% of the total, threshold) bytes.
    public static func saveInterval(totalSize: UInt64, threshold: UInt64) -> UInt64 {
        max(totalSize / 100, threshold)
    }
}
