import Glibc
import Synchronization

/// Reader over a snapshot of a memory file taken at open (as an open POSIX descriptor keeps reading the file it
/// opened). A directory opened for read fails on the first read with EISDIR, as `read(2)` does.
final class MemoryFileReader: StorageReader {
    private struct State {
        var bytes: [UInt8]
        var position: Int
        var closed = false
    }

    private let path: String
    private let isDirectory: Bool
    private let state: Mutex<State>

    /// `bytes` is the whole file; reading starts at `offset` and stops after `length` bytes.
    init(bytes: [UInt8], path: String, offset: UInt64, length: UInt64?) {
        let start = Int(min(offset, UInt64(bytes.count)))
        var end = bytes.count
        if let length { end = Int(min(UInt64(start) + length, UInt64(bytes.count))) }
        self.path = path
        isDirectory = false
        state = Mutex(State(bytes: Array(bytes[start..<end]), position: 0))
    }

    init(directoryAt path: String) {
        self.path = path
        isDirectory = true
        state = Mutex(State(bytes: [], position: 0))
    }

    func read(maxLength: Int) async throws -> [UInt8]? {
        precondition(maxLength > 0, "read length must be positive")
        return try state.withLock { state -> [UInt8]? in
            if state.closed { throw StorageError.readClosed(path) }
            if isDirectory { throw StorageError.read(path, errno: EISDIR) }
            guard state.position < state.bytes.count else { return nil }
            let end = min(state.position + maxLength, state.bytes.count)
            let chunk = Array(state.bytes[state.position..<end])
            state.position = end
            return chunk
        }
    }

    func close() async {
        state.withLock { state in
            state.closed = true
            state.bytes = []
        }
    }
}
