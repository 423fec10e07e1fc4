import Glibc
import Logging
import VaultCore

/// The stop files and stale lock a backup meets before it starts. `<lock-path>/<stanza>.stop` and `all.stop`
/// (written by `stop`) refuse the backup with StopError (062). pgvault's `--force` extension (the users' emergency
/// procedure) overrides a stop file or a lock file whose recorded process is gone, removing it and logging what was
/// overridden; a lock held by a live process still fails with 050 when the lock is taken.
public enum BackupForceOverrides {
    /// Checks (and with `force` removes) the stop files; returns the log lines of what was overridden.
    public static func handleStopFiles(lockPath: String, stanza: String, force: Bool) async throws -> [String] {
        guard force else {
            try await StopFileCheck.verify(lockPath: lockPath, stanza: stanza)
            return []
        }
        var overridden: [String] = []
        for file in ["\(lockPath)/\(stanza).stop", "\(lockPath)/all.stop"] where access(file, F_OK) == 0 {
            if unlink(file) != 0 {
                throw PGVError(.fileRemove, "unable to remove stop file '\(file)': \(String(cString: strerror(errno)))")
            }
            overridden.append("--force: removed stop file '\(file)'")
        }
        return overridden
    }

    /// The pid recorded in a lock file whose process no longer exists (`kill(pid, 0)` gives ESRCH), nil otherwise.
    public static func staleLockHolder(lockFile: String) -> Int32? {
        guard let handle = fopen(lockFile, "r") else { return nil }
        defer { fclose(handle) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = fread(&buffer, 1, buffer.count, handle)
        let text = String(decoding: buffer.prefix(count), as: UTF8.self)
        guard let range = text.firstRange(of: "\"pid\":"),
              let pid = Int32(text[range.upperBound...].prefix { $0.isNumber }), pid > 0, pid != getpid() else { return nil }
        return kill(pid, 0) != 0 && errno == ESRCH ? pid : nil
    }
}
