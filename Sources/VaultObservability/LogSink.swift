import Glibc
import Synchronization
import VaultCore

/// One output of log lines: a file descriptor written with `write(2)` under a lock, so concurrent tasks never
/// interleave partial lines. Standard output and standard error sinks are shared; a file sink owns its descriptor.
public final class LogSink: Sendable {
    private let descriptor: Int32
    private let owned: Bool
    private let lock = Mutex<Void>(())

    public static let standardOutput = LogSink(descriptor: STDOUT_FILENO, owned: false)
    public static let standardError = LogSink(descriptor: STDERR_FILENO, owned: false)

    private init(descriptor: Int32, owned: Bool) {
        self.descriptor = descriptor
        self.owned = owned
    }

    /// Opens (creating, mode 0640) `path` for appending, creating its directory (0750) when missing.
    /// Failure gives `.fileOpen` (041) naming the path.
    public static func appending(to path: String) throws -> LogSink {
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            _ = mkdir(String(path[..<slash]), 0o750)
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            throw PGVError(.fileOpen, "unable to open log file '\(path)': \(String(cString: strerror(errno)))",
                           hint: "check log-path, or set log-level-file=off")
        }
        return LogSink(descriptor: fd, owned: true)
    }

    deinit {
        if owned { close(descriptor) }
    }

    /// Writes `line` and a newline in one locked sequence of `write(2)` calls (retrying short writes and EINTR).
    public func write(line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        write(bytes: bytes)
    }

    /// Writes `bytes` as they are, under the lock, retrying short writes and EINTR. Returns the `errno` of a failed
    /// `write(2)` (EPIPE when a reader such as `head` went away; SIGPIPE is ignored by the executable), else nil.
    @discardableResult
    public func write(bytes: [UInt8]) -> Int32? {
        lock.withLock { _ in
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { buffer in
                    Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                }
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
    }
}
