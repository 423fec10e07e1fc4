import VaultCore
import VaultRepository

/// Which set directories an expire deletes once backup.info is saved (pgBackRest `removeExpiredBackup`): every
/// label directory backup.info does not list, newest first. The newest directory is spared when it is resumable
/// (`backup.manifest.copy` without `backup.manifest`): it may be a crashed backup the next backup resumes, or one
/// running on another host. pgBackRest 2.59 spares it so; 2.45 deleted it on a plain expire. The one exception,
/// as in both: an adhoc `--set` expire removes it when it belongs to the expired full's chain and its prior is
/// gone from backup.info.
public enum ExpiredBackupDirectories {
    /// The newest directory when it is resumable, with the prior its `backup.manifest.copy` names (nil for a full
    /// or an unreadable manifest).
    public struct Resumable: Sendable, Equatable {
        public var label: String
        public var prior: String?

        public init(label: String, prior: String?) {
            self.label = label
            self.prior = prior
        }
    }

    /// Labels to delete, newest first. `onDisk`: label directories in `backup/<stanza>`; `current`: labels kept in
    /// backup.info; `resumable`: set when the newest on-disk directory is resumable.
    public static func select(onDisk: [String], current: Set<String>, resumable: Resumable?,
                              adhocLabel: String?) -> [String] {
        var labels = onDisk.filter(BackupLabel.isValid).sorted { ByteOrder.precedes($1, $0) }
        if let resumable, let newest = labels.first, newest == resumable.label,
           !removesResumable(resumable, current: current, adhocLabel: adhocLabel) {
            labels.removeFirst()
        }
        return labels.filter { !current.contains($0) }
    }

    /// True when the resumable newest directory goes with an adhoc expire of its chain.
    static func removesResumable(_ resumable: Resumable, current: Set<String>, adhocLabel: String?) -> Bool {
        guard let adhocLabel, resumable.label.hasPrefix(String(adhocLabel.prefix(16))) else { return false }
        return !(resumable.prior.map(current.contains) ?? false)
    }

    /// True when the resumable check needs the prior from the manifest copy (an adhoc expire of the same chain).
    public static func needsPrior(newest: String, adhocLabel: String?) -> Bool {
        guard let adhocLabel else { return false }
        return newest.hasPrefix(String(adhocLabel.prefix(16)))
    }
}
