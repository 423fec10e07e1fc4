#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VaultCore

/// The error messages of storage operations, in one place so that every driver reports a failure with the same code
/// and text. System errors end with pgBackRest's `: [errno] strerror` suffix, e.g.
/// `unable to open file '/repo/x' for write: [20] Not a directory`. `path` is the path as the driver displays it
/// (absolute on POSIX).
public enum StorageError {
    /// `[2] No such file or directory`: errno and its `strerror(3)` text.
    public static func errnoText(_ code: Int32) -> String {
        "[\(code)] \(String(cString: strerror(code)))"
    }

    static func system(_ code: ErrorCode, _ message: String, errno: Int32) -> PGVError {
        PGVError(code, "\(message): \(errnoText(errno))")
    }

    /// 055: opening a file that does not exist for reading.
    public static func openMissingForRead(_ path: String) -> PGVError {
        PGVError(.fileMissing, "unable to open missing file '\(path)' for read")
    }

    static func openForRead(_ path: String, errno: Int32) -> PGVError {
        errno == ENOENT ? openMissingForRead(path) : system(.fileOpen, "unable to open file '\(path)' for read", errno: errno)
    }

    static func openForWrite(_ path: String, errno: Int32) -> PGVError {
        system(.fileOpen, "unable to open file '\(path)' for write", errno: errno)
    }

    static func read(_ path: String, errno: Int32) -> PGVError {
        system(.fileRead, "unable to read file '\(path)'", errno: errno)
    }

    static func readClosed(_ path: String) -> PGVError {
        PGVError(.fileRead, "unable to read file '\(path)' after it was closed")
    }

    static func write(_ path: String, errno: Int32) -> PGVError {
        system(.fileWrite, "unable to write file '\(path)'", errno: errno)
    }

    static func writeFinished(_ path: String) -> PGVError {
        PGVError(.fileWrite, "unable to write file '\(path)' after it was committed or aborted")
    }

    static func sync(_ path: String, errno: Int32) -> PGVError {
        system(.fileSync, "unable to sync file '\(path)'", errno: errno)
    }

    static func syncPath(_ path: String, errno: Int32) -> PGVError {
        system(.pathSync, "unable to sync path '\(path)'", errno: errno)
    }

    static func close(_ path: String, errno: Int32) -> PGVError {
        system(.fileClose, "unable to close file '\(path)'", errno: errno)
    }

    static func setTime(_ path: String, errno: Int32) -> PGVError {
        system(.fileWrite, "unable to set time for '\(path)'", errno: errno)
    }

    static func setMode(_ path: String, errno: Int32) -> PGVError {
        system(.fileMode, "unable to set mode for '\(path)'", errno: errno)
    }

    static func move(_ source: String, _ destination: String, errno: Int32) -> PGVError {
        system(.fileMove, "unable to move '\(source)' to '\(destination)'", errno: errno)
    }

    static func info(_ path: String, errno: Int32) -> PGVError {
        system(.fileOpen, "unable to get info for path/file '\(path)'", errno: errno)
    }

    static func linkDestination(_ path: String, errno: Int32) -> PGVError {
        system(.fileRead, "unable to get destination for link '\(path)'", errno: errno)
    }

    static func linkCreate(_ path: String, _ destination: String, errno: Int32) -> PGVError {
        system(.fileOpen, "unable to create symlink '\(path)' to '\(destination)'", errno: errno)
    }

    static func pathCreate(_ path: String, errno: Int32) -> PGVError {
        system(.pathCreate, "unable to create path '\(path)'", errno: errno)
    }

    static func pathOpen(_ path: String, errno: Int32) -> PGVError {
        system(.pathOpen, "unable to open path '\(path)' for read", errno: errno)
    }

    static func pathRemove(_ path: String, errno: Int32) -> PGVError {
        system(.pathRemove, "unable to remove path '\(path)'", errno: errno)
    }

    /// 055: removing a missing file with `errorOnMissing`.
    public static func removeMissing(_ path: String) -> PGVError {
        PGVError(.fileMissing, "unable to remove missing file '\(path)'")
    }

    static func remove(_ path: String, errno: Int32) -> PGVError {
        system(.fileRemove, "unable to remove file '\(path)'", errno: errno)
    }
}
