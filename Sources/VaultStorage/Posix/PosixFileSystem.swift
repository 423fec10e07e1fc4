import Glibc
import VaultCore

/// The blocking POSIX primitives behind `PosixStorage`: each function makes the syscalls for one storage operation
/// and turns failures into `PGVError`s with errno text. Callers run them on `BlockingPool`; nothing here awaits.
enum PosixFileSystem {
    static let directoryFlags = O_RDONLY | O_DIRECTORY | O_CLOEXEC

    /// The type of an `st_mode`.
    static func entryType(_ mode: mode_t) -> StorageEntryType {
        switch mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .path
        case S_IFLNK: return .link
        default: return .special
        }
    }

    /// `lstat(2)` of `absolute`, or nil when it does not exist (ENOENT, or ENOTDIR for a component that is a file).
    /// Fills owner names and, for a symlink, its destination through `readlink(2)`.
    static func info(_ absolute: String, name: String) throws -> StorageInfo? {
        var st = stat()
        if lstat(absolute, &st) != 0 {
            let err = errno
            if err == ENOENT || err == ENOTDIR { return nil }
            throw StorageError.info(absolute, errno: err)
        }
        return try info(from: st, name: name) { try linkDestination(absolute) }
    }

    /// Builds a `StorageInfo` from a `stat` structure; `destination` is asked only for symlinks.
    static func info(from st: stat, name: String, destination: () throws -> String) throws -> StorageInfo {
        let type = entryType(st.st_mode)
        return StorageInfo(
            name: name, type: type, size: type == .file ? UInt64(st.st_size) : 0, modified: Int64(st.st_mtim.tv_sec),
            mode: UInt32(st.st_mode & 0o7777), user: PosixOwnerNames.shared.user(st.st_uid),
            group: PosixOwnerNames.shared.group(st.st_gid), linkDestination: type == .link ? try destination() : nil)
    }

    /// `readlink(2)`, growing the buffer until the destination fits.
    static func linkDestination(_ absolute: String, directoryFD: Int32 = AT_FDCWD) throws -> String {
        var size = 256
        while true {
            var buffer = [CChar](repeating: 0, count: size)
            let count = readlinkat(directoryFD, absolute, &buffer, size)
            if count < 0 { throw StorageError.linkDestination(absolute, errno: errno) }
            if count < size {
                return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            size *= 2
        }
    }

    /// Direct children of the directory `absolute` through `opendir(3)`/`readdir(3)` and `fstatat(2)`; a missing
    /// directory lists empty, any other failure to open it is `.pathOpen` (053). Entries that vanish between
    /// `readdir` and `fstatat` are skipped.
    static func list(_ absolute: String) throws -> [StorageInfo] {
        guard let dir = opendir(absolute) else {
            let err = errno
            if err == ENOENT { return [] }
            throw StorageError.pathOpen(absolute, errno: err)
        }
        defer { closedir(dir) }
        let fd = dirfd(dir)
        var result: [StorageInfo] = []
        for name in try entryNames(dir, path: absolute) {
            var st = stat()
            if fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 {
                let err = errno
                if err == ENOENT { continue }
                throw StorageError.info(absolute + "/" + name, errno: err)
            }
            result.append(try info(from: st, name: name) {
                try linkDestination(name, directoryFD: fd)
            })
        }
        return result
    }

    /// The names `readdir(3)` returns, without `.` and `..`.
    static func entryNames(_ dir: OpaquePointer, path: String) throws -> [String] {
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else {
                if errno != 0 { throw StorageError.pathOpen(path, errno: errno) }
                return names
            }
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
    }

    /// `mkdir -p`: creates `absolute` and missing parents with `mode` (set exactly with `chmod(2)`, whatever the
    /// umask). An existing directory is fine; an existing non-directory is `.pathCreate` (047) with EEXIST.
    static func makeDirectories(_ absolute: String, mode: UInt32) throws {
        if mkdir(absolute, mode_t(mode)) == 0 {
            if chmod(absolute, mode_t(mode)) != 0 { throw StorageError.setMode(absolute, errno: errno) }
            return
        }
        let err = errno
        switch err {
        case EEXIST:
            var st = stat()
            if stat(absolute, &st) == 0 && entryType(st.st_mode) == .path { return }
            throw StorageError.pathCreate(absolute, errno: EEXIST)
        case ENOENT:
            let parent = parentDirectory(absolute)
            guard parent != absolute else { throw StorageError.pathCreate(absolute, errno: err) }
            try makeDirectories(parent, mode: mode)
            try makeDirectories(absolute, mode: mode)
        default:
            throw StorageError.pathCreate(absolute, errno: err)
        }
    }

    /// The directory part of an absolute path: `/a/b` gives `/a`, `/a` gives `/`.
    static func parentDirectory(_ absolute: String) -> String {
        guard let slash = absolute.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        if slash == absolute.startIndex { return "/" }
        return String(absolute[..<slash])
    }

    /// Opens the directory and `fsync(2)`s it so that a rename or create inside it is durable.
    static func syncDirectory(_ absolute: String) throws {
        let fd = open(absolute, directoryFlags)
        if fd < 0 { throw StorageError.syncPath(absolute, errno: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw StorageError.syncPath(absolute, errno: errno) }
    }

    /// Removes the directory `absolute`: with `recursive`, everything under it first (an `unlinkat(2)` walk that
    /// never follows symlinks). A missing path is fine; a non-directory or a non-empty directory without
    /// `recursive` is `.pathRemove` (061). With `keepSelf` only the contents go (the storage root).
    static func removePath(_ absolute: String, recursive: Bool, keepSelf: Bool) throws {
        var st = stat()
        if lstat(absolute, &st) != 0 {
            let err = errno
            if err == ENOENT { return }
            throw StorageError.pathRemove(absolute, errno: err)
        }
        guard entryType(st.st_mode) == .path else { throw StorageError.pathRemove(absolute, errno: ENOTDIR) }
        if recursive { try removeContents(parentFD: AT_FDCWD, name: absolute, path: absolute) }
        if !keepSelf && rmdir(absolute) != 0 {
            let err = errno
            if err != ENOENT { throw StorageError.pathRemove(absolute, errno: err) }
        }
        StorageKillHook.mutated()
    }

    /// Empties the directory `name` (relative to `parentFD`), depth first.
    private static func removeContents(parentFD: Int32, name: String, path: String) throws {
        let fd = openat(parentFD, name, directoryFlags | O_NOFOLLOW)
        if fd < 0 {
            let err = errno
            if err == ENOENT { return }
            throw StorageError.pathOpen(path, errno: err)
        }
        guard let dir = fdopendir(fd) else {
            let err = errno
            close(fd)
            throw StorageError.pathOpen(path, errno: err)
        }
        defer { closedir(dir) }
        let dirFD = dirfd(dir)
        // Names are collected before unlinking: readdir's view of a directory changing under it is unspecified.
        for child in try entryNames(dir, path: path) {
            let childPath = path + "/" + child
            var st = stat()
            if fstatat(dirFD, child, &st, AT_SYMLINK_NOFOLLOW) != 0 {
                if errno == ENOENT { continue }
                throw StorageError.pathRemove(childPath, errno: errno)
            }
            if entryType(st.st_mode) == .path {
                try removeContents(parentFD: dirFD, name: child, path: childPath)
                if unlinkat(dirFD, child, AT_REMOVEDIR) != 0 && errno != ENOENT {
                    throw StorageError.pathRemove(childPath, errno: errno)
                }
            } else if unlinkat(dirFD, child, 0) != 0 && errno != ENOENT {
                throw StorageError.remove(childPath, errno: errno)
            }
            StorageKillHook.mutated()
        }
    }
}
