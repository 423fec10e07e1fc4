import Glibc
import Synchronization
import VaultCore

/// Sequential reader over an open file descriptor. Each `read` is one `pread(2)` hop on `BlockingPool.shared` from
/// the current position, bounded by the remaining `length`; the descriptor is closed with `close(2)` by `close()`
/// or, as a safety net, on deinit.
final class PosixFileReader: StorageReader {
    private struct State {
        var fd: Int32
        var position: UInt64
        /// Bytes still allowed by the `length` limit; nil reads to end of file.
        var remaining: UInt64?
    }

    private let path: String
    private let state: Mutex<State>

    init(fd: Int32, path: String, offset: UInt64, length: UInt64?) {
        self.path = path
        state = Mutex(State(fd: fd, position: offset, remaining: length))
    }

    deinit {
        state.withLock { state in
            if state.fd >= 0 { _ = Glibc.close(state.fd) }
        }
    }

    func read(maxLength: Int) async throws -> [UInt8]? {
        precondition(maxLength > 0, "read length must be positive")
        return try await BlockingPool.shared.run { try self.readBlocking(maxLength) }
    }

    func close() async {
        // Runs on the pool so a close never races a pread of the same descriptor still in flight.
        _ = try? await BlockingPool.shared.run {
            self.state.withLock { state in
                if state.fd >= 0 { _ = Glibc.close(state.fd) }
                state.fd = -1
            }
        }
    }

    private func readBlocking(_ maxLength: Int) throws -> [UInt8]? {
        try state.withLock { state -> [UInt8]? in
            guard state.fd >= 0 else { throw StorageError.readClosed(path) }
            var wanted = maxLength
            if let remaining = state.remaining {
                if remaining == 0 { return nil }
                wanted = Int(min(UInt64(wanted), remaining))
            }
            let fd = state.fd
            let position = off_t(state.position)
            let bytes = try [UInt8](unsafeUninitializedCapacity: wanted) { buffer, count in
                while true {
                    let got = pread(fd, buffer.baseAddress, wanted, position)
                    if got >= 0 {
                        count = got
                        return
                    }
                    if errno != EINTR { throw StorageError.read(path, errno: errno) }
                }
            }
            if bytes.isEmpty { return nil }
            state.position += UInt64(bytes.count)
            if let remaining = state.remaining { state.remaining = remaining - UInt64(bytes.count) }
            return bytes
        }
    }
}
