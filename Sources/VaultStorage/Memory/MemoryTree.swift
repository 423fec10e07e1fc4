import Glibc

/// The file tree behind `MemoryStorage`: a flat map from normalised path to node, with path resolution that follows
/// symlinks the way the kernel does, so the memory driver fails where POSIX fails and with the same errno.
struct MemoryTree {
    enum Node {
        case file(bytes: [UInt8], modified: Int64)
        case path(modified: Int64)
        case link(destination: String, modified: Int64)

        var modified: Int64 {
            switch self {
            case .file(_, let modified), .path(let modified), .link(_, let modified): return modified
            }
        }
    }

    /// Where a path resolved to: the real path (links followed) and the node there, nil when nothing is there but
    /// the parent directory exists.
    struct Resolved {
        var path: String
        var node: Node?
    }

    /// The root always exists.
    var nodes: [String: Node] = ["": .path(modified: MemoryTree.now())]

    static func now() -> Int64 { Int64(time(nil)) }

    /// Resolves a normalised path. Symlinks in intermediate components are always followed, the final one only with
    /// `followLast`; relative destinations resolve from the link's directory, absolute ones lie outside the storage
    /// and count as missing. Failures are errno values: ENOENT (missing intermediate), ENOTDIR (a file used as a
    /// directory), ELOOP (more than 16 links).
    func resolve(_ path: String, followLast: Bool) -> Result<Resolved, Errno> {
        var pending = ArraySlice(path.split(separator: "/").map(String.init))
        var resolved: [String] = []
        var hops = 0
        var node: Node? = nodes[""]
        while let component = pending.popFirst() {
            if component == "." || component.isEmpty { continue }
            if component == ".." {
                if resolved.isEmpty { return .failure(Errno(ENOENT)) }
                resolved.removeLast()
                node = nodes[resolved.joined(separator: "/")]
                continue
            }
            guard case .path = node else { return .failure(Errno(ENOTDIR)) }
            let candidate = (resolved + [component]).joined(separator: "/")
            let isLast = pending.isEmpty
            guard let found = nodes[candidate] else {
                if isLast { return .success(Resolved(path: candidate, node: nil)) }
                return .failure(Errno(ENOENT))
            }
            if case .link(let destination, _) = found, !isLast || followLast {
                hops += 1
                if hops > 16 { return .failure(Errno(ELOOP)) }
                if destination.hasPrefix("/") { return isLast ? .success(Resolved(path: candidate, node: nil)) : .failure(Errno(ENOENT)) }
                pending = ArraySlice(destination.split(separator: "/").map(String.init)) + pending
                node = nodes[resolved.joined(separator: "/")]
                continue
            }
            resolved.append(component)
            node = found
        }
        return .success(Resolved(path: resolved.joined(separator: "/"), node: node))
    }

    /// Direct children of the directory at the real path `directory`.
    func children(of directory: String) -> [String] {
        nodes.keys.filter { !$0.isEmpty && StoragePath.parent($0) == directory }
    }

    /// Removes everything under the real path `directory` (not the directory itself).
    mutating func removeContents(of directory: String) {
        let prefix = directory.isEmpty ? "" : directory + "/"
        for key in nodes.keys where !key.isEmpty && key.hasPrefix(prefix) {
            nodes[key] = nil
        }
    }
}

/// An errno value carried through `Result`.
struct Errno: Error {
    var code: Int32
    init(_ code: Int32) { self.code = code }
}
