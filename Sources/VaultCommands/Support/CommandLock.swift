import Glibc
import VaultCore

/// A pgBackRest-compatible command lock: `<lock-path>/<stanza>-<type>.lock`, held with a non-blocking exclusive
/// `flock(2)` for the life of the command. The file holds `{"execId":"…","pid":N}` (plus `"pctCplt"` for backups)
/// so `info` and a second command can name the holder. The kernel drops the lock when the process dies, kill -9
/// included, so a stale file never blocks anyone.
public final class CommandLock: @unchecked Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case archive, backup
    }

    public let path: String
    public let execId: String
    private var descriptor: Int32

    private init(path: String, execId: String, descriptor: Int32) {
        self.path = path
        self.execId = execId
        self.descriptor = descriptor
    }

    deinit { release() }

    /// The lock file path for `stanza` and `kind`.
    public static func path(lockPath: String, stanza: String, kind: Kind) -> String {
        "\(lockPath)/\(stanza)-\(kind.rawValue).lock"
    }

    /// Takes the lock or fails at once with `.lockAcquire` (050) naming the holder's pid.
    /// The lock directory is created (0750) when missing.
    public static func acquire(lockPath: String, stanza: String, kind: Kind, execId: String) throws -> CommandLock {
        _ = mkdir(lockPath, 0o750)
        let file = path(lockPath: lockPath, stanza: stanza, kind: kind)
        // A holder unlinks the file when it releases: a file opened just before that unlink can still be locked
        // afterwards, though a newcomer may already hold a fresh file at the path. Such a lock is worthless, so the
        // open is retried on the file the path names now.
        for _ in 0..<Self.staleRetries {
            let fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
            guard fd >= 0 else {
                let reason = String(cString: strerror(errno))
                throw PGVError(.lockAcquire, "unable to acquire lock on file '\(file)': \(reason)",
                               hint: "does '\(lockPath)' exist and is it writable (lock-path)?")
            }
            switch claim(fd: fd, file: file) {
            case .held:
                let lock = CommandLock(path: file, execId: execId, descriptor: fd)
                try lock.update(percentComplete: nil)
                return lock
            case .busy:
                let holder = holderDescription(fd: fd)
                close(fd)
                throw PGVError(.lockAcquire, "unable to acquire lock on file '\(file)': held by \(holder)",
                               hint: "is another pgvault or pgBackRest process running on stanza?")
            case .stale:
                close(fd)
            }
        }
        throw PGVError(.lockAcquire, "unable to acquire lock on file '\(file)': it was replaced while locking",
                       hint: "is another pgvault or pgBackRest process running on stanza?")
    }

    /// Attempts to lock a file that a released holder may unlink at any time.
    static let staleRetries = 10

    enum Claim: Equatable { case held, busy, stale }

    /// `flock(2)` `LOCK_EX|LOCK_NB` on `fd`, then `fstat(2)` of it against `stat(2)` of `file`: `.stale` when the
    /// locked inode is no longer the one at the path (unlinked or replaced by its releasing holder).
    static func claim(fd: Int32, file: String) -> Claim {
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return .busy }
        var locked = stat()
        var named = stat()
        guard fstat(fd, &locked) == 0, stat(file, &named) == 0,
              locked.st_dev == named.st_dev, locked.st_ino == named.st_ino else { return .stale }
        return .held
    }

    /// Rewrites the lock content; backups record progress in hundredths of a percent (0–10000) as pgBackRest does.
    public func update(percentComplete: Double?) throws {
        guard descriptor >= 0 else { return }
        var json = "{\"execId\":\"\(execId)\""
        if let percentComplete { json += ",\"pctCplt\":\(Int((percentComplete * 100).rounded()))" }
        json += ",\"pid\":\(getpid())}\n"
        let bytes = Array(json.utf8)
        guard ftruncate(descriptor, 0) == 0,
              bytes.withUnsafeBytes({ pwrite(descriptor, $0.baseAddress, $0.count, 0) }) == bytes.count else {
            throw PGVError(.fileWrite, "unable to write lock file '\(path)': \(String(cString: strerror(errno)))")
        }
    }

    /// Removes the file and drops the lock. Idempotent.
    public func release() {
        guard descriptor >= 0 else { return }
        unlink(path)
        close(descriptor)
        descriptor = -1
    }

    /// "process 1234" from the holder's JSON, or "another process" when the content is unreadable.
    private static func holderDescription(fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return "another process" }
        let text = String(decoding: buffer.prefix(count), as: UTF8.self)
        guard let range = text.firstRange(of: "\"pid\":") else { return "another process" }
        let digits = text[range.upperBound...].prefix { $0.isNumber }
        return digits.isEmpty ? "another process" : "process \(digits)"
    }
}
