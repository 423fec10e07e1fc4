import VaultCore
import VaultRepository

/// Where each part of a backup set goes on this host (reference §7 step 5): `pg_data` at `pg1-path`, each
/// tablespace at its `--tablespace-map` / `--tablespace-map-all` location or its backed-up one, other links at
/// their `--link-map` destination, or kept as links with `--link-all`, or else restored as plain directories/files.
///
/// Every destination is checked before anything is written: destinations are made absolute (relative ones resolve
/// from the link's directory, `..` lexically), must not be `/`, and must neither lie inside PGDATA or another
/// target nor contain one (`.linkDestination`, 070), so a hostile manifest cannot make the clean step delete
/// PGDATA's neighbours or write one target's files into another.
public struct RestoreLayout: Sendable, Equatable {
    /// One restore target after remapping.
    public struct Target: Sendable, Equatable {
        /// Manifest target name: `pg_data`, `pg_tblspc/<oid>` or `pg_data/<rel>`.
        public var name: String
        /// Absolute directory (for a file link: the directory holding the file).
        public var path: String
        public var file: String?
        public var tablespaceId: String?
        public var tablespaceName: String?

        public var isTablespace: Bool { tablespaceId != nil }
        /// The symlink inside PGDATA that points here (`pg_tblspc/16385`, `pg_wal`); nil for `pg_data`.
        public var linkPath: String? {
            if name == "pg_data" { return nil }
            return isTablespace ? name : String(name.dropFirst("pg_data/".count))
        }
        /// What the symlink points to.
        public var linkDestination: String { file.map { path + "/" + $0 } ?? path }
    }

    public var pgData: String
    /// `pg_data` first, then the links, in manifest (byte) order.
    public var targets: [Target]
    /// `PG_<version>_<catalog>`: the directory a tablespace's files live in.
    public var tablespaceDirectory: String
    /// Log lines (INFO) describing each remap, and warnings for links restored as directories or files.
    public var notices: [String] = []
    public var warnings: [String] = []

    /// Remaps `manifest`'s targets for `options`, restoring into `pgPath`.
    public init(manifest: Manifest, pgPath: String, options: RestoreOptions) throws {
        try RestorePathGuard.checkNames(manifest)  // the names used below, before anything is listed
        pgData = try Self.absolute(pgPath, base: "/", what: "pg1-path")
        tablespaceDirectory = "PG_\(manifest.db.version)_\(manifest.db.catalogVersion)"
        var targets: [Target] = []
        guard let base = manifest.target(named: "pg_data") else {
            throw PGVError(.format, "manifest of backup '\(manifest.backup.label)' has no 'pg_data' target")
        }
        if base.path != pgData { notices.append("remap data directory to '\(pgData)'") }
        targets.append(Target(name: "pg_data", path: pgData))

        var tablespaceUsed = Set<String>()
        var linkUsed = Set<String>()
        let tablespaceMap = options.tablespaceMap
        let linkMap = options.linkMap
        for target in manifest.targets where target.name != "pg_data" {
            guard target.kind == .link else {
                throw PGVError(.format, "manifest target '\(target.name)' must be a link")
            }
            if let oid = target.tablespaceId {
                guard target.name == "pg_tblspc/\(oid)", oid.allSatisfy(\.isNumber), !oid.isEmpty else {
                    throw PGVError(.format, "invalid tablespace target '\(target.name)' in manifest")
                }
                let name = target.tablespaceName ?? oid
                let byName = tablespaceMap.last { $0.key == name }?.value
                let byId = tablespaceMap.last { $0.key == oid }?.value
                if byName != nil { tablespaceUsed.insert(name) }
                if byId != nil { tablespaceUsed.insert(oid) }
                if let byName, let byId, byName != byId {
                    throw PGVError(.tablespaceMap, "tablespace remapped by name '\(name)' and id \(oid) with different paths")
                }
                var path = target.path
                if let mapped = byName ?? byId ?? options.tablespaceMapAll.map({ "\($0)/\(name)" }) {
                    notices.append("map tablespace '\(target.name)' to '\(mapped)'")
                    path = mapped
                }
                targets.append(Target(name: target.name, path: try Self.absolute(path, base: pgData + "/pg_tblspc",
                                                                                 what: "tablespace '\(name)'"),
                                      tablespaceId: oid, tablespaceName: target.tablespaceName))
                continue
            }
            guard target.name.hasPrefix("pg_data/"), ManifestName.isValid(target.name, allowRoot: false) else {
                throw PGVError(.format, "invalid link target '\(target.name)' in manifest")
            }
            let link = String(target.name.dropFirst("pg_data/".count))
            if let mapped = linkMap.last(where: { $0.key == link })?.value {
                linkUsed.insert(link)
                notices.append("map link '\(link)' to '\(mapped)'")
                var path = mapped
                var file: String?
                if target.file != nil {
                    guard let slash = mapped.lastIndex(of: "/"), slash != mapped.startIndex || mapped.count > 1 else {
                        throw PGVError(.linkMap, "'\(mapped)' is not long enough to be the destination for file link '\(link)'")
                    }
                    file = String(mapped[mapped.index(after: slash)...])
                    path = slash == mapped.startIndex ? "/" : String(mapped[..<slash])
                }
                targets.append(Target(name: target.name, path: try Self.absolute(path, base: Self.parent(pgData + "/" + link),
                                                                                 what: "link '\(link)'"), file: file))
            } else if options.linkAll {
                targets.append(Target(name: target.name, path: try Self.absolute(target.path, base: Self.parent(pgData + "/" + link),
                                                                                 what: "link '\(link)'"), file: target.file))
            } else if target.file != nil {
                warnings.append("file link '\(link)' will be restored as a file at the same location")
            } else {
                warnings.append("contents of directory link '\(link)' will be restored in a directory at the same location")
            }
        }
        for entry in tablespaceMap where !tablespaceUsed.contains(entry.key) {
            throw PGVError(.tablespaceMap, "unable to remap invalid tablespace '\(entry.key)'")
        }
        for entry in linkMap where !linkUsed.contains(entry.key) {
            throw PGVError(.linkMap, "unable to remap invalid link '\(entry.key)'")
        }
        self.targets = targets
        try checkOverlaps()
    }

    /// Targets must be disjoint: none inside PGDATA or inside another, and none containing one.
    private func checkOverlaps() throws {
        let directories = targets.filter { $0.file == nil }
        for (index, target) in directories.enumerated() {
            for other in directories[(index + 1)...] where Self.overlaps(target.path, other.path) {
                throw PGVError(.linkDestination,
                               "restore target '\(other.name)' at '\(other.path)' overlaps '\(target.name)' at '\(target.path)'",
                               hint: "remap it with --tablespace-map or --link-map")
            }
        }
        for target in targets where target.file != nil && Self.overlaps(target.path, pgData) && target.path != pgData {
            throw PGVError(.linkDestination, "restore target '\(target.name)' at '\(target.path)' lies inside '\(pgData)'")
        }
    }

    static func overlaps(_ a: String, _ b: String) -> Bool {
        a == b || a.hasPrefix(b + "/") || b.hasPrefix(a + "/")
    }

    /// `path` made absolute against `base` (relative link destinations resolve from the link's directory), with
    /// `.`, empty and `..` components resolved lexically; a `..` above `/` is refused.
    static func absolute(_ path: String, base: String, what: String) throws -> String {
        guard !path.isEmpty, !path.utf8.contains(0) else {
            throw PGVError(.linkDestination, "invalid destination '\(path)' for \(what)")
        }
        var components = path.hasPrefix("/") ? [] : base.split(separator: "/").map(String.init)
        for component in path.split(separator: "/") where component != "." {
            if component == ".." {
                guard !components.isEmpty else {
                    throw PGVError(.linkDestination, "destination '\(path)' of \(what) must not contain '..' above '/'")
                }
                components.removeLast()
                continue
            }
            components.append(String(component))
        }
        guard !components.isEmpty else {
            throw PGVError(.linkDestination, "destination '\(path)' of \(what) must not be the root directory")
        }
        return "/" + components.joined(separator: "/")
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    public func target(named name: String) -> Target? { targets.first { $0.name == name } }

    /// Where a manifest name (file or path) lives: the target's directory and the path under it. `pg_tblspc` (the
    /// manifest's dummy entry) has none; a name below `pg_tblspc/<oid>` without a target, or a name that would pass
    /// through a `pg_data/pg_tblspc/<oid>` link, is `.format` (029).
    public func location(of name: String) throws -> (root: String, relative: String)? {
        if name == "pg_tblspc" { return nil }
        if name == "pg_data" { return (pgData, "") }
        if name.hasPrefix("pg_data/") {
            let relative = String(name.dropFirst("pg_data/".count))
            if relative.hasPrefix("pg_tblspc/") && relative.split(separator: "/").count > 2 {
                throw PGVError(.format, "manifest entry '\(name)' must not pass through a tablespace link")
            }
            return (pgData, relative)
        }
        let parts = name.split(separator: "/", maxSplits: 2)
        guard parts.count >= 2, let target = target(named: "pg_tblspc/\(parts[1])") else {
            throw PGVError(.format, "manifest entry '\(name)' has no tablespace target")
        }
        return (target.path, parts.count == 3 ? String(parts[2]) : "")
    }
}
