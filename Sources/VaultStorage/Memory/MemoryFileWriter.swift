import Glibc
import Synchronization

/// Writer of one memory file. Atomic: bytes are buffered and the file appears at its final name only in `commit`.
/// Non-atomic: the file was created empty at open and every write lands in it at once. `abort` (and deinit without
/// commit) discards the buffer, or removes the in-place file.
final class MemoryFileWriter: StorageWriter {
    private struct State {
        var buffer: [UInt8] = []
        var finished = false
    }

    private let storage: MemoryStorage
    /// Normalised path asked for; resolved again at commit as a rename would.
    private let path: String
    /// Real path of the in-place file (non-atomic writes only).
    private let inPlacePath: String?
    private let options: StorageWriteOptions
    private let state = Mutex(State())

    init(storage: MemoryStorage, path: String, inPlacePath: String?, options: StorageWriteOptions) {
        self.storage = storage
        self.path = path
        self.inPlacePath = inPlacePath
        self.options = options
    }

    deinit {
        let discard = state.withLock { state -> Bool in
            defer { state.finished = true }
            return !state.finished
        }
        if discard, let inPlacePath { storage.removeInPlace(inPlacePath) }
    }

    func write(_ bytes: [UInt8]) async throws {
        try state.withLock { state in
            guard !state.finished else { throw StorageError.writeFinished(storage.display(path)) }
            if let inPlacePath {
                storage.appendInPlace(inPlacePath, bytes)
            } else {
                state.buffer.append(contentsOf: bytes)
            }
        }
    }

    func commit() async throws {
        try state.withLock { state in
            guard !state.finished else { throw StorageError.writeFinished(storage.display(path)) }
            state.finished = true
            do {
                if let inPlacePath {
                    storage.touchInPlace(inPlacePath, modified: options.modified)
                } else {
                    try storage.commitAtomic(path, bytes: state.buffer, modified: options.modified)
                }
            } catch {
                if let inPlacePath { storage.removeInPlace(inPlacePath) }
                throw error
            }
            state.buffer = []
        }
    }

    func abort() async {
        let discard = state.withLock { state -> Bool in
            defer {
                state.finished = true
                state.buffer = []
            }
            return !state.finished
        }
        if discard, let inPlacePath { storage.removeInPlace(inPlacePath) }
    }
}
