import Glibc

/// Reads a pgBackRest/pgvault lock file (`{"execId":"…","pctCplt":N,"pid":N}`) without taking it.
enum LockFileReader {
    /// What a lock file says about its holder.
    struct Holder: Sendable, Equatable {
        var pid: Int32
        /// Hundredths of a percent (0–10000), backups only.
        var percentComplete: Int?
    }

    /// The holder of `path` when the lock is currently held: a non-blocking shared `flock(2)` that fails with
    /// EWOULDBLOCK means someone holds it. A missing file, an unheld lock or unreadable content give nil.
    static func heldHolder(path: String) -> Holder? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return parse(String(decoding: buffer.prefix(count), as: UTF8.self))
    }

    /// The pid of a held lock (see `heldHolder`).
    static func heldPid(path: String) -> Int32? { heldHolder(path: path)?.pid }

    /// Parses the JSON content; nil without a pid.
    static func parse(_ text: String) -> Holder? {
        func number(_ key: String) -> Int? {
            guard let range = text.firstRange(of: "\"\(key)\":") else { return nil }
            return Int(text[range.upperBound...].prefix { $0.isNumber })
        }
        guard let pid = number("pid").flatMap({ Int32(exactly: $0) }) else { return nil }
        return Holder(pid: pid, percentComplete: number("pctCplt"))
    }
}
