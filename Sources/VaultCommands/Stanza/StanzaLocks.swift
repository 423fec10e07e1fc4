import VaultCore

/// Both command locks of a stanza (archive, then backup), as stanza-create, stanza-upgrade and stanza-delete take
/// them (reference §10). Held until `release` or deinit; 050 when another process holds either.
final class StanzaLocks: Sendable {
    private let locks: [CommandLock]

    private init(locks: [CommandLock]) { self.locks = locks }

    /// Takes `<lock-path>/<stanza>-archive.lock` and `<stanza>-backup.lock` (`flock(2)` through `CommandLock`, run on
    /// `BlockingPool`).
    static func acquire(_ context: CommandContext, stanza: String) async throws -> StanzaLocks {
        let lockPath = StopFileCheck.lockPath(context)
        let execId = context.execId
        let locks = try await BlockingPool.shared.run {
            let archive = try CommandLock.acquire(lockPath: lockPath, stanza: stanza, kind: .archive, execId: execId)
            do {
                return [archive, try CommandLock.acquire(lockPath: lockPath, stanza: stanza, kind: .backup, execId: execId)]
            } catch {
                archive.release()
                throw error
            }
        }
        return StanzaLocks(locks: locks)
    }

    func release() { for lock in locks.reversed() { lock.release() } }

    deinit { release() }
}
