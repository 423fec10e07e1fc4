/// The decision of stanza-create for one repository (reference §9), from which info files and copies exist and
/// whether the stanza directories hold anything. Pure: the command gathers the facts and carries out the action.
public enum StanzaCreatePlan: Equatable, Sendable {
    /// Neither file nor copy exists and both directories are empty: write new archive.info and backup.info.
    case create
    /// Neither file exists but a directory is not empty: PathNotEmptyError (040) naming which.
    case refuseNotEmpty(backupNotEmpty: Bool, archiveNotEmpty: Bool)
    /// Both info files exist (as file or copy): validate them against each other and the cluster, then restore any
    /// missing file or copy from its twin. `restore` lists the (source, destination) pairs; empty means valid as is.
    case validate(restore: [Restore])
    /// Only one of the two info files exists: FileMissingError (055).
    case refuseOneMissing(archiveExists: Bool)

    /// One missing member of a file/copy pair, rebuilt from the other.
    public struct Restore: Equatable, Sendable {
        public var file: InfoFile
        /// True when `<file>.copy` is missing (copied from `<file>`); false when `<file>` is missing.
        public var copyMissing: Bool
    }

    public enum InfoFile: String, Sendable {
        case archive = "archive.info"
        case backup = "backup.info"
    }

    /// Which of the four files exist.
    public struct Presence: Equatable, Sendable {
        public var archive, archiveCopy, backup, backupCopy: Bool

        public init(archive: Bool, archiveCopy: Bool, backup: Bool, backupCopy: Bool) {
            (self.archive, self.archiveCopy, self.backup, self.backupCopy) = (archive, archiveCopy, backup, backupCopy)
        }

        var anyArchive: Bool { archive || archiveCopy }
        var anyBackup: Bool { backup || backupCopy }
    }

    /// Decides. `archiveNotEmpty`/`backupNotEmpty` are only consulted when no info file exists.
    public static func decide(_ presence: Presence, archiveNotEmpty: Bool, backupNotEmpty: Bool) -> StanzaCreatePlan {
        if !presence.anyArchive && !presence.anyBackup {
            if archiveNotEmpty || backupNotEmpty {
                return .refuseNotEmpty(backupNotEmpty: backupNotEmpty, archiveNotEmpty: archiveNotEmpty)
            }
            return .create
        }
        guard presence.anyArchive && presence.anyBackup else { return .refuseOneMissing(archiveExists: presence.anyArchive) }
        var restore: [Restore] = []
        if presence.archive != presence.archiveCopy { restore.append(Restore(file: .archive, copyMissing: presence.archive)) }
        if presence.backup != presence.backupCopy { restore.append(Restore(file: .backup, copyMissing: presence.backup)) }
        return .validate(restore: restore)
    }

    /// pgBackRest's 040 message: "backup directory and/or archive directory not empty".
    public static func notEmptyMessage(backupNotEmpty: Bool, archiveNotEmpty: Bool) -> String {
        (backupNotEmpty ? "backup directory " : "") + (backupNotEmpty && archiveNotEmpty ? "and/or " : "")
            + (archiveNotEmpty ? "archive directory " : "") + "not empty"
    }
}
