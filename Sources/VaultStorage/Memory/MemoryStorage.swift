import Glibc
import Synchronization
import VaultCore

/// An in-memory storage driver for unit tests, with the POSIX driver's semantics and error codes and messages
/// (paths are displayed under `root`). Thread-safe: the whole tree sits behind one `Mutex`. Directories and
/// symlinks exist on their own; modes and owners are not kept.
public final class MemoryStorage: Storage {
    /// Prefix under which paths appear in error messages, like the root of a POSIX driver.
    public let root: String
    private let tree = Mutex(MemoryTree())

    public var capabilities: StorageCapabilities { [.paths, .symlinks] }

    public init(root: String = "/memory") {
        self.root = root
    }

    /// The path as error messages show it: `root/path`.
    func display(_ path: String) -> String {
        path.isEmpty ? root : root + "/" + path
    }

    public func info(_ path: String) async throws -> StorageInfo? {
        let normalized = try StoragePath.normalize(path)
        return tree.withLock { tree in
            guard case .success(let resolved) = tree.resolve(normalized, followLast: false),
                  let node = resolved.node else { return nil }
            return Self.info(node, name: normalized)
        }
    }

    public func list(_ path: String) async throws -> [StorageInfo] {
        let normalized = try StoragePath.normalize(path)
        return try tree.withLock { tree in
            switch tree.resolve(normalized, followLast: true) {
            case .failure(let error):
                if error.code == ENOENT { return [] }
                throw StorageError.pathOpen(display(normalized), errno: error.code)
            case .success(let resolved):
                guard let node = resolved.node else { return [] }
                guard case .path = node else { throw StorageError.pathOpen(display(normalized), errno: ENOTDIR) }
                return tree.children(of: resolved.path).compactMap { child in
                    tree.nodes[child].map { Self.info($0, name: StoragePath.lastComponent(child)) }
                }
            }
        }
    }

    public func openRead(_ path: String, offset: UInt64, length: UInt64?) async throws -> any StorageReader {
        let normalized = try StoragePath.normalize(path, allowRoot: false)
        let shown = display(normalized)
        return try tree.withLock { tree -> any StorageReader in
            switch tree.resolve(normalized, followLast: true) {
            case .failure(let error):
                throw StorageError.openForRead(shown, errno: error.code)
            case .success(let resolved):
                switch resolved.node {
                case nil, .link?: throw StorageError.openMissingForRead(shown)
                case .path?: return MemoryFileReader(directoryAt: shown)
                case .file(let bytes, _)?: return MemoryFileReader(bytes: bytes, path: shown, offset: offset, length: length)
                }
            }
        }
    }

    public func openWrite(_ path: String, options: StorageWriteOptions) async throws -> any StorageWriter {
        let normalized = try StoragePath.normalize(path, allowRoot: false)
        let writeName = options.atomic ? normalized + PosixFileWriter.temporarySuffix : normalized
        let inPlacePath = try tree.withLock { tree -> String? in
            let parent = StoragePath.parent(normalized)
            var directory = tree.resolve(parent, followLast: true)
            if case .success(let resolved) = directory, resolved.node == nil {
                directory = .failure(Errno(ENOENT))
            }
            if case .failure(let error) = directory, error.code == ENOENT, options.createPath {
                try makeDirectories(&tree, parent)
                directory = tree.resolve(parent, followLast: true)
            }
            switch directory {
            case .failure(let error):
                throw StorageError.openForWrite(display(writeName), errno: error.code)
            case .success(let resolved):
                guard case .path? = resolved.node else {
                    throw StorageError.openForWrite(display(writeName), errno: ENOTDIR)
                }
            }
            guard !options.atomic else { return nil }
            // In place: open(2) follows a final symlink and truncates what is there.
            switch tree.resolve(normalized, followLast: true) {
            case .failure(let error):
                throw StorageError.openForWrite(display(writeName), errno: error.code)
            case .success(let resolved):
                if case .path? = resolved.node { throw StorageError.openForWrite(display(writeName), errno: EISDIR) }
                tree.nodes[resolved.path] = .file(bytes: [], modified: MemoryTree.now())
                return resolved.path
            }
        }
        return MemoryFileWriter(storage: self, path: normalized, inPlacePath: inPlacePath, options: options)
    }

    public func remove(_ path: String, errorOnMissing: Bool) async throws {
        let normalized = try StoragePath.normalize(path, allowRoot: false)
        try tree.withLock { tree in
            switch tree.resolve(normalized, followLast: false) {
            case .failure(let error):
                if error.code != ENOENT { throw StorageError.remove(display(normalized), errno: error.code) }
                if errorOnMissing { throw StorageError.removeMissing(display(normalized)) }
            case .success(let resolved):
                switch resolved.node {
                case nil:
                    if errorOnMissing { throw StorageError.removeMissing(display(normalized)) }
                case .path?:
                    throw StorageError.remove(display(normalized), errno: EISDIR)
                case .file?, .link?:
                    tree.nodes[resolved.path] = nil
                }
            }
        }
    }

    public func pathRemove(_ path: String, recursive: Bool) async throws {
        let normalized = try StoragePath.normalize(path)
        try tree.withLock { tree in
            switch tree.resolve(normalized, followLast: false) {
            case .failure(let error):
                if error.code != ENOENT { throw StorageError.pathRemove(display(normalized), errno: error.code) }
            case .success(let resolved):
                guard let node = resolved.node else { return }
                guard case .path = node else { throw StorageError.pathRemove(display(normalized), errno: ENOTDIR) }
                if recursive {
                    tree.removeContents(of: resolved.path)
                } else if !tree.children(of: resolved.path).isEmpty {
                    throw StorageError.pathRemove(display(normalized), errno: ENOTEMPTY)
                }
                if !resolved.path.isEmpty { tree.nodes[resolved.path] = nil }
            }
        }
    }

    public func pathCreate(_ path: String, mode: UInt32) async throws {
        let normalized = try StoragePath.normalize(path)
        try tree.withLock { try makeDirectories(&$0, normalized) }
    }

    public func linkCreate(_ path: String, destination: String) async throws {
        let normalized = try StoragePath.normalize(path, allowRoot: false)
        try tree.withLock { tree in
            let failure = { (code: Int32) in StorageError.linkCreate(self.display(normalized), destination, errno: code) }
            switch tree.resolve(StoragePath.parent(normalized), followLast: true) {
            case .failure(let error): throw failure(error.code)
            case .success(let resolved):
                guard let node = resolved.node else { throw failure(ENOENT) }
                guard case .path = node else { throw failure(ENOTDIR) }
                let target = StoragePath.join(resolved.path, StoragePath.lastComponent(normalized))
                if tree.nodes[target] != nil { throw failure(EEXIST) }
                tree.nodes[target] = .link(destination: destination, modified: MemoryTree.now())
            }
        }
    }

    // MARK: - Writer support

    /// The rename of an atomic write: the parent must still be a directory and the final name must not be one.
    func commitAtomic(_ path: String, bytes: [UInt8], modified: Int64?) throws {
        try tree.withLock { tree in
            let failure = { (code: Int32) in
                StorageError.move(self.display(path + PosixFileWriter.temporarySuffix), self.display(path), errno: code)
            }
            switch tree.resolve(StoragePath.parent(path), followLast: true) {
            case .failure(let error): throw failure(error.code)
            case .success(let resolved):
                guard let node = resolved.node else { throw failure(ENOENT) }
                guard case .path = node else { throw failure(ENOTDIR) }
                let target = StoragePath.join(resolved.path, StoragePath.lastComponent(path))
                if case .path? = tree.nodes[target] { throw failure(EISDIR) }
                tree.nodes[target] = .file(bytes: bytes, modified: modified ?? MemoryTree.now())
            }
        }
    }

    func appendInPlace(_ realPath: String, _ bytes: [UInt8]) {
        tree.withLock { tree in
            guard case .file(var content, _)? = tree.nodes[realPath] else { return }
            tree.nodes[realPath] = nil
            content.append(contentsOf: bytes)
            tree.nodes[realPath] = .file(bytes: content, modified: MemoryTree.now())
        }
    }

    func touchInPlace(_ realPath: String, modified: Int64?) {
        guard let modified else { return }
        tree.withLock { tree in
            guard case .file(let content, _)? = tree.nodes[realPath] else { return }
            tree.nodes[realPath] = .file(bytes: content, modified: modified)
        }
    }

    func removeInPlace(_ realPath: String) {
        tree.withLock { tree in
            if case .file? = tree.nodes[realPath] { tree.nodes[realPath] = nil }
        }
    }

    // MARK: - Helpers

    /// `mkdir -p` in the tree, failing like `PosixFileSystem.makeDirectories`: a file in the way is EEXIST when it
    /// is the last component, ENOTDIR before that.
    private func makeDirectories(_ tree: inout MemoryTree, _ path: String) throws {
        var prefix = ""
        let components = path.split(separator: "/").map(String.init)
        for (index, component) in components.enumerated() {
            prefix = StoragePath.join(prefix, component)
            switch tree.resolve(prefix, followLast: true) {
            case .failure(let error):
                throw StorageError.pathCreate(display(path), errno: error.code)
            case .success(let resolved):
                switch resolved.node {
                case nil:
                    tree.nodes[resolved.path] = .path(modified: MemoryTree.now())
                case .path?:
                    continue
                case .file?, .link?:
                    throw StorageError.pathCreate(display(path), errno: index == components.count - 1 ? EEXIST : ENOTDIR)
                }
            }
        }
    }

    private static func info(_ node: MemoryTree.Node, name: String) -> StorageInfo {
        switch node {
        case .file(let bytes, let modified):
            return StorageInfo(name: name, type: .file, size: UInt64(bytes.count), modified: modified)
        case .path(let modified):
            return StorageInfo(name: name, type: .path, modified: modified)
        case .link(let destination, let modified):
            return StorageInfo(name: name, type: .link, modified: modified, linkDestination: destination)
        }
    }
}
