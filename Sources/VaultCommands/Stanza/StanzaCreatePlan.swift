import VaultRepository

/// The decision of stanza-create for one repository (reference §9), from which info files and copies exist and
/// whether the stanza directories hold anything besides them. Pure: the command gathers the facts and carries out the
/// action.
///
/// Crash consistency (issue 8): a stanza-create killed part way leaves what it wrote so far: a leftover
/// `<info>.pgbackrest.tmp`, archive.info without backup.info, a file without its copy. None of that counts as "not
/// empty", and one info file alone in otherwise empty stanza directories is completed instead of refused, so the next
/// run succeeds. pgBackRest 2.45 refuses that state with 055; with anything else in the directories (WAL, backup
/// sets) pgvault refuses it too.
public enum StanzaCreatePlan: Equatable, Sendable {
    /// Neither file nor copy exists and both directories are empty: write new archive.info and backup.info.
    case create
    /// Only one info file exists and the directories hold nothing else (an interrupted stanza-create): validate the
    /// existing one against the cluster, restore its missing half (`restore`) and write the `missing` one new.
    case complete(missing: InfoFile, restore: [Restore])
    /// Neither file exists but a directory is not empty: PathNotEmptyError (040) naming which.
    case refuseNotEmpty(backupNotEmpty: Bool, archiveNotEmpty: Bool)
    /// Both info files exist (as file or copy): validate them against each other and the cluster, then restore any
    /// missing file or copy from its twin. `restore` lists the (source, destination) pairs; empty means valid as is.
    case validate(restore: [Restore])
    /// Only one of the two info files exists and the directories hold more: FileMissingError (055).
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

    /// Decides. `archiveNotEmpty`/`backupNotEmpty`: the directory holds something other than its info file, the
    /// copy and their temporary files (`holdsMore`); not consulted when both info files exist.
    public static func decide(_ presence: Presence, archiveNotEmpty: Bool, backupNotEmpty: Bool) -> StanzaCreatePlan {
        if !presence.anyArchive && !presence.anyBackup {
            if archiveNotEmpty || backupNotEmpty {
                return .refuseNotEmpty(backupNotEmpty: backupNotEmpty, archiveNotEmpty: archiveNotEmpty)
            }
            return .create
        }
        var restore: [Restore] = []
        if presence.anyArchive && presence.archive != presence.archiveCopy {
            restore.append(Restore(file: .archive, copyMissing: presence.archive))
        }
        if presence.anyBackup && presence.backup != presence.backupCopy {
            restore.append(Restore(file: .backup, copyMissing: presence.backup))
        }
        guard presence.anyArchive && presence.anyBackup else {
            if archiveNotEmpty || backupNotEmpty { return .refuseOneMissing(archiveExists: presence.anyArchive) }
            return .complete(missing: presence.anyArchive ? .backup : .archive, restore: restore)
        }
        return .validate(restore: restore)
    }

    /// Whether a stanza directory listing (`names` of its entries) holds anything besides `file`, `file.copy` and
    /// their leftover temporary files (`<name>.pgbackrest.tmp`, from a writer killed before its rename).
    public static func holdsMore(_ names: [String], than file: InfoFile) -> Bool {
        let own: Set<String> = [file.rawValue, file.rawValue + RepositoryFormat.copyExtension]
        return names.contains { name in
            let base = name.hasSuffix(temporarySuffix) ? String(name.dropLast(temporarySuffix.count)) : name
            return !own.contains(base)
        }
    }

    /// The POSIX writer's temporary name suffix (pgBackRest's).
    static let temporarySuffix = ".pgbackrest.tmp"

    /// pgBackRest's 040 message: "backup directory and/or archive directory not empty".
    public static func notEmptyMessage(backupNotEmpty: Bool, archiveNotEmpty: Bool) -> String {
        (backupNotEmpty ? "backup directory " : "") + (backupNotEmpty && archiveNotEmpty ? "and/or " : "")
            + (archiveNotEmpty ? "archive directory " : "") + "not empty"
    }
}
