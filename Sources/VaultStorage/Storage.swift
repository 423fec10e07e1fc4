import VaultCore

/// What a storage driver can do beyond the required operations. Commands consult these instead of asking which
/// driver they hold: an object store has no real directories, symlinks or hard links.
public struct StorageCapabilities: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Directories exist on their own (POSIX); on object stores a path exists only through the files under it.
    public static let paths = StorageCapabilities(rawValue: 1 << 0)
    /// Symbolic links can be created and read.
    public static let symlinks = StorageCapabilities(rawValue: 1 << 1)
    /// Hard links can be created.
    public static let hardlinks = StorageCapabilities(rawValue: 1 << 2)
    /// Owner, group and mode are stored and reported.
    public static let ownership = StorageCapabilities(rawValue: 1 << 3)
}

/// The kind of a storage entry.
public enum StorageEntryType: String, Sendable, Equatable {
    case file, path, link, special
}

/// Metadata of one entry, as `stat(2)`/`lstat(2)` or an S3 HEAD/List reports it.
public struct StorageInfo: Sendable, Equatable {
    /// For `list`, the entry name relative to the listed path; for `info`, the path asked for.
    public var name: String
    public var type: StorageEntryType
    public var size: UInt64
    /// Modification time in unix seconds.
    public var modified: Int64
    /// Permission bits (`0o640`), when the driver has `.ownership`.
    public var mode: UInt32?
    public var user: String?
    public var group: String?
    /// Target of a symbolic link.
    public var linkDestination: String?

    public init(name: String, type: StorageEntryType, size: UInt64 = 0, modified: Int64 = 0, mode: UInt32? = nil,
                user: String? = nil, group: String? = nil, linkDestination: String? = nil) {
        self.name = name
        self.type = type
        self.size = size
        self.modified = modified
        self.mode = mode
        self.user = user
        self.group = group
        self.linkDestination = linkDestination
    }
}

/// How a write is made durable and visible.
public struct StorageWriteOptions: Sendable {
    /// Write to a temporary name and rename on commit, so a reader never sees a partial file at the final name.
    public var atomic: Bool = true
    /// fsync the file and its directory on commit (POSIX); a PUT is always durable once acknowledged.
    public var sync: Bool = true
    /// With `sync`, also fsync the directory on commit. Restore turns it off and fsyncs every directory once at the
    /// end, as pgBackRest does, instead of once per file.
    public var syncPath: Bool = true
    /// Create missing parent directories.
    public var createPath: Bool = true
    /// File mode for drivers with `.ownership`; defaults to the repository mode 0640.
    public var mode: UInt32 = 0o640
    /// Modification time to set on commit, in unix seconds (restore uses it); nil keeps the write time.
    public var modified: Int64? = nil
    /// With `atomic`, a temporary name no other writer uses (POSIX: `<name>.<pid>-<random>.pgbackrest.tmp`), for
    /// files that several processes may write at once under one final name (two archive-push of one segment): each
    /// renames its own whole file, the last one wins. Off, the temporary name is pgBackRest's `<name>.pgbackrest.tmp`.
    public var privateTemporary: Bool = false

    public init(atomic: Bool = true, sync: Bool = true, syncPath: Bool = true, createPath: Bool = true,
                mode: UInt32 = 0o640, modified: Int64? = nil, privateTemporary: Bool = false) {
        self.atomic = atomic
        self.sync = sync
        self.syncPath = syncPath
        self.createPath = createPath
        self.mode = mode
        self.modified = modified
        self.privateTemporary = privateTemporary
    }
}

/// A sequential reader of one stored file. Owned by one task; `read` returns nil at end of file.
public protocol StorageReader: AnyObject, Sendable {
    /// Reads up to `maxLength` bytes; returns nil at end of file, never an empty array.
    func read(maxLength: Int) async throws -> [UInt8]?
    /// Releases the underlying handle. Safe to call more than once.
    func close() async
}

/// A sequential writer of one stored file. Nothing is visible at the final name until `commit` returns.
public protocol StorageWriter: AnyObject, Sendable {
    func write(_ bytes: [UInt8]) async throws
    /// Makes the file durable and visible at its final name.
    func commit() async throws
    /// Discards everything written; leaves nothing at the final name or a temporary one.
    func abort() async
}

/// One storage backend (POSIX directory, S3 bucket prefix, memory). Paths are relative to the driver's root and
/// use `/`; a leading `/` is not allowed. Missing files on read give `.fileMissing` (055) naming the path.
public protocol Storage: Sendable {
    var capabilities: StorageCapabilities { get }

    /// Metadata of `path`, or nil when it does not exist. Does not follow a final symlink.
    func info(_ path: String) async throws -> StorageInfo?

    /// The direct children of `path` (names relative to it), in no particular order. A missing path lists empty.
    func list(_ path: String) async throws -> [StorageInfo]

    /// Opens `path` for sequential reading from `offset`, limited to `length` bytes when given.
    func openRead(_ path: String, offset: UInt64, length: UInt64?) async throws -> any StorageReader

    /// Opens `path` for writing; see `StorageWriteOptions` for atomicity and durability.
    func openWrite(_ path: String, options: StorageWriteOptions) async throws -> any StorageWriter

    /// Removes one file. A missing file is an error (055) only when `errorOnMissing`.
    func remove(_ path: String, errorOnMissing: Bool) async throws

    /// Removes a path and, when `recursive`, everything under it. A missing path is not an error.
    func pathRemove(_ path: String, recursive: Bool) async throws

    /// Creates a directory and its parents (a no-op on drivers without `.paths`).
    func pathCreate(_ path: String, mode: UInt32) async throws

    /// Creates a symbolic link at `path` pointing to `destination` (drivers with `.symlinks` only).
    func linkCreate(_ path: String, destination: String) async throws

    /// Every entry under `path` at any depth (directories included, `path` itself not), named relative to `path`
    /// and sorted by byte order. A missing path lists empty. The default in `StorageConveniences.swift` walks with
    /// `list`; a driver with a flat listing (S3) can answer in one pass instead.
    func listRecursive(_ path: String) async throws -> [StorageInfo]
}
