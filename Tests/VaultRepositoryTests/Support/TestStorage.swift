import VaultCore
import VaultStorage

/// A tiny in-memory `Storage` for these tests until the shared `MemoryStorage` lands. Files only; writes become
/// visible at commit, like an atomic driver.
actor TestStorage: Storage {
    nonisolated var capabilities: StorageCapabilities { [] }
    private(set) var files: [String: [UInt8]] = [:]

    func put(_ path: String, _ bytes: [UInt8]) { files[path] = bytes }
    func get(_ path: String) -> [UInt8]? { files[path] }
    func delete(_ path: String) { files[path] = nil }

    func info(_ path: String) async throws -> StorageInfo? {
        files[path].map { StorageInfo(name: path, type: .file, size: UInt64($0.count)) }
    }

    func list(_ path: String) async throws -> [StorageInfo] {
        files.keys.filter { $0.hasPrefix(path + "/") }.map { StorageInfo(name: String($0.dropFirst(path.count + 1)), type: .file) }
    }

    func openRead(_ path: String, offset: UInt64, length: UInt64?) async throws -> any StorageReader {
        guard let bytes = files[path] else { throw PGVError(.fileMissing, "unable to open missing file '\(path)' for read") }
        return Reader(bytes: Array(bytes.dropFirst(Int(offset))))
    }

    func openWrite(_ path: String, options: StorageWriteOptions) async throws -> any StorageWriter {
        Writer(storage: self, path: path)
    }

    func remove(_ path: String, errorOnMissing: Bool) async throws {
        if files.removeValue(forKey: path) == nil, errorOnMissing {
            throw PGVError(.fileMissing, "unable to remove missing file '\(path)'")
        }
    }

    func pathRemove(_ path: String, recursive: Bool) async throws {
        for key in files.keys where key.hasPrefix(path + "/") { files[key] = nil }
    }

    func pathCreate(_ path: String, mode: UInt32) async throws {}
    func linkCreate(_ path: String, destination: String) async throws {}

    final class Reader: StorageReader, @unchecked Sendable {
        private var bytes: [UInt8]
        init(bytes: [UInt8]) { self.bytes = bytes }
        func read(maxLength: Int) async throws -> [UInt8]? {
            guard !bytes.isEmpty else { return nil }
            let chunk = Array(bytes.prefix(maxLength))
            bytes.removeFirst(chunk.count)
            return chunk
        }
        func close() async {}
    }

    final class Writer: StorageWriter, @unchecked Sendable {
        private let storage: TestStorage
        private let path: String
        private var bytes: [UInt8] = []
        init(storage: TestStorage, path: String) {
            self.storage = storage
            self.path = path
        }
        func write(_ bytes: [UInt8]) async throws { self.bytes += bytes }
        func commit() async throws { await storage.put(path, bytes) }
        func abort() async { bytes = [] }
    }
}
