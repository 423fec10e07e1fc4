import VaultCore

/// Driver-relative paths: validation and the few string operations the drivers need.
///
/// A storage path is relative to the driver's root and uses `/`. `normalize` drops empty and `.` components
/// (`a//b/./c/` becomes `a/b/c`) and rejects what could escape the root: a leading `/` and any `..` component.
/// The empty string names the root itself.
public enum StoragePath {
    /// The normalised form of `path`; throws `.paramInvalid` (096) for an absolute path, a `..` component or a NUL
    /// byte, and for the root when `allowRoot` is false (a file can never live at the root).
    public static func normalize(_ path: String, allowRoot: Bool = true) throws -> String {
        if path.hasPrefix("/") {
            throw PGVError(.paramInvalid, "absolute path '\(path)' is not allowed, storage paths are relative")
        }
        if path.utf8.contains(0) {
            throw PGVError(.paramInvalid, "path '\(path)' contains a NUL byte")
        }
        var components: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." {
                throw PGVError(.paramInvalid, "path '\(path)' must not contain '..'")
            }
            components.append(component)
        }
        if components.isEmpty && !allowRoot {
            throw PGVError(.paramInvalid, "path '\(path)' names the storage root, a file path is required")
        }
        return components.joined(separator: "/")
    }

    /// `a/b` + `c` = `a/b/c`; either side may be the root (empty).
    public static func join(_ base: String, _ name: String) -> String {
        if base.isEmpty { return name }
        if name.isEmpty { return base }
        return base + "/" + name
    }

    /// The parent of a normalised path: `a/b` gives `a`, `a` gives the root (empty).
    public static func parent(_ path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(path[..<slash])
    }

    /// The last component of a normalised path: `a/b` gives `b`.
    public static func lastComponent(_ path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// Byte-order (strcmp) comparison, the order pgBackRest sorts manifests and listings in.
    public static func byteOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }
}
