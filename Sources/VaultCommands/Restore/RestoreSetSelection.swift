import VaultCore
import VaultPostgres
import VaultRepository

/// Chooses the backup set to restore (reference §7 step 3), from the backup.info of each repository searched (in
/// repository order, or only `--repo`):
/// - `--set=<label>`: the first repository holding it, else `.backupSetInvalid` (075);
/// - `--type=time` without `--set`: the newest set whose `backup-timestamp-stop` is before the target, none being
///   `.backupSetInvalid` (075);
///   a time in another form is `.format` (029), as in 2.45; `--type=lsn`: the newest whose `backup-lsn-stop` is at or
///   before the target, none being `.backupSetInvalid` (075);
/// - otherwise the newest set of the first repository with backups,
///   which must belong to the current database history id (075 when it is from a prior cluster).
public enum RestoreSetSelection {
    public struct Selection: Sendable, Equatable {
        /// The repository index (`repoN`).
        public var repo: Int
        public var label: String
        public var warnings: [String]
    }

    public static func select(options: RestoreOptions, repositories: [(repo: Int, info: BackupInfo)]) throws -> Selection {
        if let label = options.set {
            guard let found = repositories.first(where: { $0.info.backup(label) != nil }) else {
                throw PGVError(.backupSetInvalid, "backup set \(label) is not valid",
                               hint: "run 'info' to list the backup sets of the stanza")
            }
            return Selection(repo: found.repo, label: label, warnings: [])
        }
        let withBackups = repositories.filter { !$0.info.backups.isEmpty }
        guard let first = withBackups.first else {
            throw PGVError(.backupSetInvalid, "no backup set found to restore")
        }
        if options.type == .time, let target = options.target {
            if let epoch = RestoreTargetTime.epoch(target) {
                for repository in withBackups {
                    if let backup = repository.info.backups.last(where: { $0.timestampStop < epoch }) {
                        return Selection(repo: repository.repo, label: backup.label, warnings: [])
                    }
                }
                throw PGVError(.backupSetInvalid, "unable to find backup set with stop time less than '\(target)'")
            } else {
                throw PGVError(.format, "automatic backup set selection cannot be performed with provided time '\(target)'",
                               hint: RestoreTargetTime.formatHint)
            }
        } else if options.type == .lsn, let target = options.target {
            let lsn = try Lsn.parse(target, what: "target lsn")
            for repository in withBackups {
                let match = repository.info.backups.last { backup in
                    backup.lsnStop.flatMap { Lsn($0) }.map { $0 <= lsn } ?? false
                }
                if let match { return Selection(repo: repository.repo, label: match.label, warnings: []) }
            }
            throw PGVError(.backupSetInvalid, "unable to find backup set with lsn less than or equal to '\(target)'")
        }
        let latest = first.info.backups[first.info.backups.count - 1]
        guard latest.dbId == first.info.currentId else {
            throw PGVError(.backupSetInvalid,
                           "the latest backup set found '\(latest.label)' is from a prior version of PostgreSQL",
                           hint: "use --set to choose a backup set of a prior version")
        }
        return Selection(repo: first.repo, label: latest.label, warnings: [])
    }
}
