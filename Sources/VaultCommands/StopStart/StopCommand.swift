import Glibc
import VaultCore
import VaultStorage

/// `stop`: creates the stop file so that commands of the stanza (or of every stanza, without `--stanza`) refuse to
/// start with 062. With `--force` it also sends SIGTERM to the processes holding the stanza's lock files, as
/// pgBackRest does. An existing stop file is only a warning.
public struct StopCommand: VaultCommand {
    public static let name = "stop"
    public init() {}

    public func run(_ context: CommandContext) async throws -> Int32 {
        let lockPath = StopFileCheck.lockPath(context)
        let stopFile = StopFile(lockPath: lockPath, stanza: context.stanza)
        if try await stopFile.exists() {
            context.logger.warning("stop file already exists for \(stopFile.scope)")
            return 0
        }
        let storage = try stopFile.storage()
        try await storage.pathCreate("", mode: 0o770)
        try await storage.put(stopFile.fileName, [], options: StorageWriteOptions(atomic: false, sync: true, mode: 0o640))
        if context.config.bool("force") {
            try await terminateLockHolders(lockPath: lockPath, stanza: context.stanza, context: context)
        }
        return 0
    }

    /// Reads each `*.lock` file of the stanza (every lock file without `--stanza`) and sends SIGTERM to its pid when
    /// the lock is still held (`flock(2)` test), removing the file as pgBackRest's `lockReadFile(.remove)` does.
    private func terminateLockHolders(lockPath: String, stanza: String?, context: CommandContext) async throws {
        let storage = try PosixStorage(root: lockPath)
        let names = try await storage.list("").map(\.name).filter { $0.hasSuffix(".lock") }.sorted()
        for name in names {
            if let stanza, name != "\(stanza)-archive.lock", name != "\(stanza)-backup.lock" { continue }
            let file = lockPath + "/" + name
            guard let pid = try await BlockingPool.shared.run({ LockFileReader.heldPid(path: file) }) else {
                context.logger.warning("unable to read lock file \(file)")
                continue
            }
            if kill(pid, SIGTERM) != 0 {
                context.logger.warning("unable to send term signal to process \(pid)")
            } else {
                context.logger.notice("sent term signal to process \(pid)")
            }
        }
    }
}
