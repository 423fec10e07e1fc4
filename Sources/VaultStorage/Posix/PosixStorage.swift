import Glibc
import VaultCore

/// Storage in a local directory through POSIX syscalls (Glibc).
///
/// Paths are relative to `root` (see `StoragePath`). Every operation is one hop to `BlockingPool.shared`; readers
/// and writers make one hop per chunk. Writes are atomic by default (`PosixFileWriter`), files get mode 0640 and
/// created directories 0750. Errors name the absolute path and end with the errno text.
public struct PosixStorage: Storage {
    /// The absolute root directory, without a trailing `/` (the filesystem root is kept as `/`).
    public let root: String

    public var capabilities: StorageCapabilities { [.paths, .symlinks, .ownership] }

    /// Storage rooted at the absolute directory `root`; a relative root is `.paramInvalid` (096). The directory
    /// need not exist yet: writes with `createPath` create it.
    public init(root: String) throws {
        guard root.hasPrefix("/") else {
            throw PGVError(.paramInvalid, "storage root '\(root)' must be an absolute path")
        }
        var trimmed = root
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed
    }

    /// The absolute path of a storage path, after validation (`.paramInvalid` for `..` or a leading `/`).
    public func absolutePath(_ path: String) throws -> String {
        absolute(try StoragePath.normalize(path))
    }

    private func absolute(_ normalized: String) -> String {
        if normalized.isEmpty { return root }
        return root == "/" ? "/" + normalized : root + "/" + normalized
    }

    /// `lstat(2)`; a symlink is reported as a link with its destination, not followed.
    public func info(_ path: String) async throws -> StorageInfo? {
        let normalized = try StoragePath.normalize(path)
        let absolute = absolute(normalized)
        return try await BlockingPool.shared.run { try PosixFileSystem.info(absolute, name: normalized) }
    }

    /// `opendir(3)`/`readdir(3)` plus `fstatat(2)` per entry; missing path lists empty.
    public func list(_ path: String) async throws -> [StorageInfo] {
        let absolute = try absolutePath(path)
        return try await BlockingPool.shared.run { try PosixFileSystem.list(absolute) }
    }

    /// `open(2)` read-only; ENOENT is `.fileMissing` (055) "unable to open missing file '<path>' for read", any other
    /// failure `.fileOpen` (041). Reads then `pread(2)` from `offset`, at most `length` bytes in all.
    public func openRead(_ path: String, offset: UInt64, length: UInt64?) async throws -> any StorageReader {
        let absolute = absolute(try StoragePath.normalize(path, allowRoot: false))
        return try await BlockingPool.shared.run {
            let fd = open(absolute, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw StorageError.openForRead(absolute, errno: errno) }
            return PosixFileReader(fd: fd, path: absolute, offset: offset, length: length)
        }
    }

    /// Opens a `PosixFileWriter`; see there for the atomic temp-file protocol.
    public func openWrite(_ path: String, options: StorageWriteOptions) async throws -> any StorageWriter {
        let absolute = absolute(try StoragePath.normalize(path, allowRoot: false))
        return try await BlockingPool.shared.run { try PosixFileWriter.open(absolute, options: options) }
    }

    /// `unlink(2)`; ENOENT is `.fileMissing` (055) only when `errorOnMissing`, other failures `.fileRemove` (060).
    public func remove(_ path: String, errorOnMissing: Bool) async throws {
        let absolute = absolute(try StoragePath.normalize(path, allowRoot: false))
        try await BlockingPool.shared.run {
            if unlink(absolute) == 0 { StorageKillHook.mutated(); return }
            let err = errno
            if err == ENOENT {
                if errorOnMissing { throw StorageError.removeMissing(absolute) }
                return
            }
            throw StorageError.remove(absolute, errno: err)
        }
    }

    /// `rmdir(2)`, after an `unlinkat(2)` walk when `recursive`. Removing the root empties it but keeps the
    /// directory itself.
    public func pathRemove(_ path: String, recursive: Bool) async throws {
        let normalized = try StoragePath.normalize(path)
        let absolute = absolute(normalized)
        try await BlockingPool.shared.run {
            try PosixFileSystem.removePath(absolute, recursive: recursive, keepSelf: normalized.isEmpty)
        }
    }

    /// `mkdir(2)` of the path and its missing parents with `mode`; an existing directory is fine.
    public func pathCreate(_ path: String, mode: UInt32) async throws {
        let absolute = try absolutePath(path)
        try await BlockingPool.shared.run { try PosixFileSystem.makeDirectories(absolute, mode: mode) }
    }

    /// `symlink(2)`; `destination` is stored as given (relative destinations resolve from the link's directory).
    /// An existing entry at `path` or a missing parent is `.fileOpen` (041).
    public func linkCreate(_ path: String, destination: String) async throws {
        let absolute = absolute(try StoragePath.normalize(path, allowRoot: false))
        try await BlockingPool.shared.run {
            if symlink(destination, absolute) != 0 {
                throw StorageError.linkCreate(absolute, destination, errno: errno)
            }
        }
    }
}
