import Glibc
import VaultCore

/// The attribute changes a restore makes in the data directory that the `Storage` protocol does not offer
/// (PGDATA is always local, as in pgBackRest): `chmod(2)`, `lchown(2)`, `utimensat(2)`, `truncate(2)`,
/// `rename(2)` and directory `fsync(2)`. Blocking; callers run these on `BlockingPool`.
public enum RestoreTargetFileSystem {
    /// True when running as root (owners from the manifest are then applied).
    public static var isRoot: Bool { geteuid() == 0 }

    /// Owner and group ids of `path` (`stat(2)`, following links).
    public static func owner(of path: String) throws -> (uid: uid_t, gid: gid_t, mode: UInt32) {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw PGVError(.fileOpen, "unable to get info for '\(path)': \(String(cString: strerror(errno)))")
        }
        return (st.st_uid, st.st_gid, UInt32(st.st_mode & 0o7777))
    }

    public static func setMode(_ path: String, _ mode: UInt32) throws {
        guard chmod(path, mode_t(mode)) == 0 else {
            throw PGVError(.fileOwner, "unable to set mode for '\(path)': \(String(cString: strerror(errno)))")
        }
    }

    /// `lchown(2)` to the named user and group; a name unknown on this host (or `nil`, unmapped in the manifest)
    /// falls back to `fallback` (the owner of PGDATA).
    public static func setOwner(_ path: String, user: String?, group: String?, fallback: (uid: uid_t, gid: gid_t)) throws {
        let uid = user.flatMap(userId) ?? fallback.uid
        let gid = group.flatMap(groupId) ?? fallback.gid
        guard lchown(path, uid, gid) == 0 else {
            throw PGVError(.fileOwner, "unable to set ownership for '\(path)': \(String(cString: strerror(errno)))")
        }
    }

    /// Sets the modification (and access) time of a file to `seconds`.
    public static func setModified(_ path: String, _ seconds: Int64) throws {
        var times = [timespec(tv_sec: Int(seconds), tv_nsec: 0), timespec(tv_sec: Int(seconds), tv_nsec: 0)]
        guard utimensat(AT_FDCWD, path, &times, 0) == 0 else {
            throw PGVError(.fileWrite, "unable to set time for '\(path)': \(String(cString: strerror(errno)))")
        }
    }

    public static func truncate(_ path: String, to size: UInt64) throws {
        guard Glibc.truncate(path, off_t(size)) == 0 else {
            throw PGVError(.fileWrite, "unable to truncate '\(path)': \(String(cString: strerror(errno)))")
        }
    }

    public static func rename(_ from: String, to: String) throws {
        guard Glibc.rename(from, to) == 0 else {
            throw PGVError(.fileMove, "unable to move '\(from)' to '\(to)': \(String(cString: strerror(errno)))")
        }
    }

    /// Opens the directory and `fsync(2)`s it; a missing directory is skipped.
    public static func syncPath(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return }
            throw PGVError(.pathSync, "unable to open '\(path)' for sync: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        guard fsync(fd) == 0 else {
            throw PGVError(.pathSync, "unable to sync path '\(path)': \(String(cString: strerror(errno)))")
        }
    }

    static func userId(_ name: String) -> uid_t? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return entry.pw_uid
    }

    static func groupId(_ name: String) -> gid_t? {
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16384)
        guard getgrnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return entry.gr_gid
    }

    /// Local time `YYYY-MM-DD HH:MM:SS` of `seconds` (`localtime_r(3)`).
    public static func localTimestamp(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        localtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }

    public static func now() -> Int64 { Int64(time(nil)) }
}
