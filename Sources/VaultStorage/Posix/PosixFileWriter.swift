import CLinux
import Glibc
import Synchronization
import VaultCore

/// Writer of one file on POSIX storage.
///
/// Atomic (the default): bytes go to `<name>.pgbackrest.tmp` (or a private temporary name, see
/// `StorageWriteOptions.privateTemporary`) in the destination directory; `commit` sets the mtime
/// (`futimens(2)`, when asked), `fsync(2)`s and closes the file, `rename(2)`s it over the final name and `fsync(2)`s
/// the directory. Until then nothing exists at the final name. Non-atomic: bytes go straight to the final name.
/// `abort`, a failed commit and deinit without commit close the descriptor and `unlink(2)` the file written.
final class PosixFileWriter: BlockingStorageWriter {
    /// pgBackRest's temporary-file suffix, so either tool recognises the other's leftovers.
    static let temporarySuffix = ".pgbackrest.tmp"

    private struct State {
        var fd: Int32
        var finished = false
        /// Bytes written so far, and up to where write-back has been started.
        var written: Int64 = 0
        var flushStarted: Int64 = 0
    }

    /// With `sync`, write-back of every further 8 MiB is started as the bytes arrive (`sync_file_range(2)`
    /// `SYNC_FILE_RANGE_WRITE`, which does not wait), so the disk works while the stages compute and the `fsync(2)`
    /// at commit finds little left to write: a 1 GiB relation no longer ends with a second of flushing.
    static let writeBackStep: Int64 = 8 << 20

    /// The final absolute path.
    private let path: String
    /// Where bytes are written: the temporary path when atomic, else `path`.
    private let writePath: String
    private let options: StorageWriteOptions
    private let state: Mutex<State>

    private init(fd: Int32, path: String, writePath: String, options: StorageWriteOptions) {
        self.path = path
        self.writePath = writePath
        self.options = options
        state = Mutex(State(fd: fd))
    }

    /// Opens the file for writing (blocking; called on a pool thread): `open(2)` with
    /// `O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC`, then `fchmod(2)` to `options.mode` exactly. When the directory is
    /// missing and `options.createPath`, it is created (mode 0750) and the open retried.
    static func open(_ path: String, options: StorageWriteOptions) throws -> PosixFileWriter {
        let writePath = options.atomic ? temporaryPath(for: path, private: options.privateTemporary) : path
        let flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC
        var fd = Glibc.open(writePath, flags, mode_t(options.mode))
        if fd < 0 && errno == ENOENT && options.createPath {
            try PosixFileSystem.makeDirectories(PosixFileSystem.parentDirectory(path), mode: 0o750)
            fd = Glibc.open(writePath, flags, mode_t(options.mode))
        }
        if fd < 0 { throw StorageError.openForWrite(writePath, errno: errno) }
        if fchmod(fd, mode_t(options.mode)) != 0 {
            let err = errno
            _ = Glibc.close(fd)
            unlink(writePath)
            throw StorageError.setMode(writePath, errno: err)
        }
        return PosixFileWriter(fd: fd, path: path, writePath: writePath, options: options)
    }

    /// `<path>.pgbackrest.tmp`, or with `private` `<path>.<pid>-<8 random hex>.pgbackrest.tmp`, a name that no
    /// concurrent writer of `path` (in this process or another) opens too.
    static func temporaryPath(for path: String, private: Bool) -> String {
        guard `private` else { return path + temporarySuffix }
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "\(path).\(getpid())-\(String(repeating: "0", count: 8 - random.count))\(random)\(temporarySuffix)"
    }

    deinit {
        state.withLock { discard(&$0) }
    }

    func write(_ bytes: [UInt8]) async throws {
        if bytes.isEmpty { return }
        try await BlockingPool.shared.run { try bytes.withUnsafeBytes { try self.writeBlocking($0) } }
    }

    func commit() async throws {
        try await BlockingPool.shared.run { try self.commitBlocking() }
    }

    func abort() async {
        _ = try? await BlockingPool.shared.run { self.state.withLock { self.discard(&$0) } }
    }

    /// `write(2)` until every byte is taken, then starts write-back of each further `writeBackStep` when syncing.
    func writeBlocking(_ buffer: UnsafeRawBufferPointer) throws {
        if buffer.isEmpty { return }
        try state.withLock { state in
            guard !state.finished else { throw StorageError.writeFinished(path) }
            let fd = state.fd
            var done = 0
            while done < buffer.count {
                let wrote = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
                if wrote < 0 {
                    if errno == EINTR { continue }
                    throw StorageError.write(writePath, errno: errno)
                }
                done += wrote
            }
            state.written += Int64(buffer.count)
            if options.sync && state.written - state.flushStarted >= Self.writeBackStep {
                _ = sync_file_range(fd, state.flushStarted, state.written - state.flushStarted,
                                    UInt32(PGV_SYNC_FILE_RANGE_WRITE))
                state.flushStarted = state.written
            }
        }
        StorageKillHook.mutated()
    }

    private func commitBlocking() throws {
        try state.withLock { state in
            guard !state.finished else { throw StorageError.writeFinished(path) }
            do {
                if let modified = options.modified {
                    var times = [timespec(tv_sec: Int(modified), tv_nsec: 0), timespec(tv_sec: Int(modified), tv_nsec: 0)]
                    if futimens(state.fd, &times) != 0 { throw StorageError.setTime(writePath, errno: errno) }
                }
                if options.sync && fsync(state.fd) != 0 { throw StorageError.sync(writePath, errno: errno) }
                let fd = state.fd
                state.fd = -1
                if Glibc.close(fd) != 0 { throw StorageError.close(writePath, errno: errno) }
                if options.atomic && rename(writePath, path) != 0 {
                    throw StorageError.move(writePath, path, errno: errno)
                }
                state.finished = true
                StorageKillHook.mutated()
                if options.sync && options.syncPath { try PosixFileSystem.syncDirectory(PosixFileSystem.parentDirectory(path)) }
            } catch {
                if !state.finished { discard(&state) }
                throw error
            }
        }
    }

    /// Closes the descriptor and unlinks what was written; a no-op once finished.
    private func discard(_ state: inout State) {
        guard !state.finished else { return }
        state.finished = true
        if state.fd >= 0 { _ = Glibc.close(state.fd) }
        state.fd = -1
        unlink(writePath)
    }
}
