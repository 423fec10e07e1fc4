/// The lock a command takes when it starts (pgBackRest's `lock-type`): see the format reference §10.
public enum LockType: String, Sendable {
    case none
    /// `<stanza>-archive.lock`: archive-push and archive-get.
    case archive
    /// `<stanza>-backup.lock`: backup, expire, annotate.
    case backup
    /// Both locks: stanza-create, stanza-upgrade, stanza-delete.
    case all
}
