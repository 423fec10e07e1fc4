/// Which PGDATA entries a backup copies (reference §5, "Exclusions when building the manifest"). Pure: it judges a
/// path relative to PGDATA (`base/1/16384`, `pg_tblspc/16400/PG_15_202209061/5/16401`) and never touches disk.
public struct PgDataExclusions: Sendable {
    /// The verdict for one entry.
    public enum Decision: Sendable, Hashable {
        /// Record it and, for a directory, walk into it.
        case include
        /// Leave it out entirely.
        case exclude
        /// Record the directory itself but nothing inside it.
        case excludeContents
    }

    public var version: PgVersion
    public var online: Bool

    public init(version: PgVersion, online: Bool) {
        self.version = version
        self.online = online
    }

    /// Root directories whose contents PostgreSQL recreates or discards at start-up.
    static let contentsExcludedAtRoot: Set<Substring> = [
        "pg_dynshmem", "pg_notify", "pg_replslot", "pg_serial", "pg_snapshots", "pg_stat_tmp", "pg_subtrans",
    ]

    /// Root files that describe a running server or an earlier backup, not the data.
    var filesExcludedAtRoot: Set<Substring> {
        var names: Set<Substring> = [
            "postmaster.pid", "postmaster.opts", "backup_label", "backup_label.old", "postgresql.auto.conf.tmp",
        ]
        if version.major >= 12 {
            names.formUnion(["recovery.signal", "standby.signal"])
        } else {
            names.formUnion(["recovery.conf", "recovery.done"])
        }
        if version.major >= 13 { names.formUnion(["backup_manifest", "backup_manifest.tmp"]) }
        return names
    }

    /// Judges `relativePath`. `siblings` are the names in the same directory; they reveal unlogged relations (any
    /// fork of relfilenode N is excluded when `N_init` is present, except the `_init` fork itself).
    public func decide(_ relativePath: String, siblings: Set<String> = []) -> Decision {
        let parts = relativePath.split(separator: "/")
        guard let name = parts.last else { return .include }
        if name.hasPrefix("pgsql_tmp") { return .exclude }

        let top = parts[0]
        if parts.count == 1 {
            if filesExcludedAtRoot.contains(name) { return .exclude }
            if Self.contentsExcludedAtRoot.contains(name) { return .excludeContents }
            return .include
        }
        if Self.contentsExcludedAtRoot.contains(top) { return .exclude }
        if top == version.walDirectory {
            guard online else { return .include }
            return parts.count == 2 && name == "archive_status" ? .excludeContents : .exclude
        }
        if Self.isDatabaseDirectory(parts.dropLast()) {
            if name == "pg_internal.init" || Self.isNumberedInternalInit(name) { return .exclude }
            if let relation = RelationFileName(name) {
                if relation.isTemporary { return .exclude }
                if relation.fork != "init", siblings.contains(relation.relfilenode + "_init") { return .exclude }
            }
        }
        return .include
    }

    /// Whether a backup validates page checksums of the file at `relativePath`: files directly inside `global`,
    /// `base/<db>` or `pg_tblspc/<oid>/PG_<ver>_<catalog>/<db>`, except `pg_filenode.map`, `PG_VERSION`,
    /// `pg_control` and `pg_internal.init`.
    public func checksPageChecksums(_ relativePath: String) -> Bool {
        let parts = relativePath.split(separator: "/")
        guard let name = parts.last, Self.isDatabaseDirectory(parts.dropLast()) else { return false }
        if parts.count == 5, parts[2] != version.tablespaceDirectory { return false }
        return !Self.notPageFiles.contains(name) && !name.hasPrefix("pg_internal.init")
    }

    static let notPageFiles: Set<Substring> = ["pg_filenode.map", "PG_VERSION", "pg_control"]

    /// `global`, `base/<oid>` or `pg_tblspc/<oid>/<version dir>/<oid>`.
    static func isDatabaseDirectory(_ parts: ArraySlice<Substring>) -> Bool {
        let parts = Array(parts)
        switch parts.count {
        case 1: return parts[0] == "global"
        case 2: return parts[0] == "base" && isOid(parts[1])
        case 4: return parts[0] == "pg_tblspc" && isOid(parts[1]) && parts[2].hasPrefix("PG_") && isOid(parts[3])
        default: return false
        }
    }

    static func isOid(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// `pg_internal.init.<pid>`: the temporary name PostgreSQL writes the relcache init file under.
    static func isNumberedInternalInit(_ name: Substring) -> Bool {
        let prefix = "pg_internal.init."
        return name.hasPrefix(prefix) && isOid(name.dropFirst(prefix.count))
    }
}
