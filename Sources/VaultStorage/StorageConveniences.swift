import VaultCore

/// Whole-file helpers for small objects (info files, manifests, labels) and tests. Large content is streamed with
/// `openRead`/`openWrite` or `StorageCopy`.
extension Storage {
    /// The whole content of `path`; a missing file is `.fileMissing` (055).
    public func get(_ path: String) async throws -> [UInt8] {
        let reader = try await openRead(path, offset: 0, length: nil)
        var content: [UInt8] = []
        do {
            while let chunk = try await reader.read(maxLength: 256 * 1024) { content.append(contentsOf: chunk) }
        } catch {
            await reader.close()
            throw error
        }
        await reader.close()
        return content
    }

    /// The whole content of `path`, or nil when it is missing (055); every other failure is thrown.
    public func getIfExists(_ path: String) async throws -> [UInt8]? {
        do {
            return try await get(path)
        } catch let error as PGVError where error.code == .fileMissing {
            return nil
        }
    }

    /// Writes `bytes` to `path` and commits; on failure the writer is aborted and nothing is left at `path`
    /// (atomic writes keep the old content).
    public func put(_ path: String, _ bytes: [UInt8], options: StorageWriteOptions = StorageWriteOptions()) async throws {
        let writer = try await openWrite(path, options: options)
        do {
            try await writer.write(bytes)
            try await writer.commit()
        } catch {
            await writer.abort()
            throw error
        }
    }

    /// True when a file or a symlink is at `path` (the entry itself, not its target); directories answer false,
    /// see `pathExists`.
    public func exists(_ path: String) async throws -> Bool {
        guard let info = try await info(path) else { return false }
        return info.type != .path
    }

    /// True when `path` is a directory, or, on drivers without `.paths`, when anything is stored under it.
    public func pathExists(_ path: String) async throws -> Bool {
        if capabilities.contains(.paths) { return try await info(path)?.type == .path }
        return try await !list(path).isEmpty
    }

    /// Walks `path` with `list`, depth first, without following symlinks.
    public func listRecursive(_ path: String) async throws -> [StorageInfo] {
        let base = try StoragePath.normalize(path)
        var result: [StorageInfo] = []
        var pending = [""]
        while let relative = pending.popLast() {
            for var entry in try await list(StoragePath.join(base, relative)) {
                entry.name = StoragePath.join(relative, entry.name)
                if entry.type == .path { pending.append(entry.name) }
                result.append(entry)
            }
        }
        result.sort { StoragePath.byteOrder($0.name, $1.name) }
        return result
    }
}
