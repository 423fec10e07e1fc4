import VaultCore
import VaultPostgres
import VaultRepository
import VaultStorage

/// Builds the target, path, file and link lists of a manifest by walking PGDATA (reference §5 step 5, §2.6).
///
/// The walk lists each directory through `Storage.list` (`readdir(3)` + `fstatat(2)` on POSIX), sorted by name
/// bytes, and asks `PgDataExclusions` (plus the user's `--exclude`) about every entry with its siblings (unlogged
/// relations are recognised by their `_init` fork). Symlinks are followed: `pg_tblspc/<oid>` links become
/// tablespace targets whose `PG_<ver>_<catalog>` directory is walked as `pg_tblspc/<oid>/...`; other links become
/// link targets walked under their `pg_data/...` name. Special files are skipped with a warning; a plain entry in
/// `pg_tblspc` is LinkExpectedError (069) and a link to a link LinkDestinationError (070).
public struct ManifestBuilder: Sendable {
    /// What the walk found; the caller puts it into a `Manifest` (lists are sorted there).
    public struct Content: Sendable, Equatable {
        public var targets: [Manifest.Target] = []
        public var paths: [Manifest.Path] = []
        public var files: [ManifestFile] = []
        public var links: [Manifest.Link] = []
        /// Warnings to log (special files skipped).
        public var warnings: [String] = []
    }

    /// PGDATA, absolute.
    public let dataPath: String
    public let exclusions: PgDataExclusions
    /// `--exclude` values: paths relative to PGDATA; a trailing `/` is ignored.
    public let userExclusions: [String]
    /// Tablespace names by oid (from the database; unknown oids are named `ts<oid>`).
    public let tablespaceNames: [UInt32: String]
    /// Opens a storage rooted at an absolute directory (a link destination).
    public let openStorage: @Sendable (String) throws -> any Storage

    public init(dataPath: String, exclusions: PgDataExclusions, userExclusions: [String] = [],
                tablespaceNames: [UInt32: String] = [:],
                openStorage: @escaping @Sendable (String) throws -> any Storage = { try PosixStorage(root: $0) }) {
        self.dataPath = dataPath
        self.exclusions = exclusions
        self.userExclusions = userExclusions.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.tablespaceNames = tablespaceNames
        self.openStorage = openStorage
    }

    /// Walks PGDATA and everything its links lead to.
    public func build() async throws -> Content {
        var content = Content()
        let root = try openStorage(dataPath)
        guard let rootInfo = try await root.info(""), rootInfo.type == .path else {
            throw PGVError(.pathMissing, "unable to list file info for missing path '\(dataPath)'")
        }
        content.targets.append(Manifest.Target(name: "pg_data", kind: .path, path: dataPath))
        content.paths.append(Self.path("pg_data", rootInfo))
        try await walk(root, directory: "", relative: "", into: &content)
        return content
    }

    /// The manifest name of a path relative to PGDATA: tablespace content is `pg_tblspc/...`, the rest `pg_data/...`.
    static func manifestName(_ relative: String) -> String {
        relative.hasPrefix("pg_tblspc/") && relative.split(separator: "/").count > 2 ? relative : "pg_data/" + relative
    }

    private func isUserExcluded(_ relative: String) -> Bool {
        userExclusions.contains { relative == $0 || relative.hasPrefix($0 + "/") }
    }

    /// Lists `directory` of `storage` (whose entries are `relative/<name>` from PGDATA's point of view).
    private func walk(_ storage: any Storage, directory: String, relative: String, into content: inout Content,
                      tablespaceRoot: Bool = false) async throws {
        let entries = try await storage.list(directory).sorted { ByteOrder.precedes($0.name, $1.name) }
        let siblings = Set(entries.map(\.name))
        for entry in entries {
            let rel = relative.isEmpty ? entry.name : relative + "/" + entry.name
            let storagePath = directory.isEmpty ? entry.name : directory + "/" + entry.name
            if tablespaceRoot {
                // Inside a tablespace only this version's directory belongs to the cluster.
                guard entry.name == exclusions.version.tablespaceDirectory, entry.type == .path else { continue }
            }
            let decision = exclusions.decide(rel, siblings: siblings)
            if decision == .exclude || isUserExcluded(rel) { continue }
            let name = Self.manifestName(rel)
            if relative == "pg_tblspc" && !tablespaceRoot && entry.type != .link {
                throw PGVError(.linkExpected, "'pg_data/\(rel)' is not a symlink - pg_tblspc should contain only symlinks")
            }
            switch entry.type {
            case .file:
                content.files.append(Self.file(name, entry))
            case .path:
                content.paths.append(Self.path(name, entry))
                if decision != .excludeContents {
                    try await walk(storage, directory: storagePath, relative: rel, into: &content)
                }
            case .link:
                try await followLink(entry, relative: rel, directoryOf: storage, storagePath: storagePath, into: &content)
            case .special:
                content.warnings.append("exclude special file 'pg_data/\(rel)' from backup")
            }
        }
    }

    private func followLink(_ entry: StorageInfo, relative rel: String, directoryOf storage: any Storage,
                            storagePath: String, into content: inout Content) async throws {
        guard var destination = entry.linkDestination else {
            throw PGVError(.linkOpen, "unable to read link 'pg_data/\(rel)'")
        }
        if !destination.hasPrefix("/") {
            let parent = rel.split(separator: "/").dropLast().joined(separator: "/")
            destination = dataPath + "/" + (parent.isEmpty ? "" : parent + "/") + destination
        }
        let target = try openStorage(destination)
        guard let info = try await target.info("") else {
            throw PGVError(.linkDestination, "link 'pg_data/\(rel)' destination '\(destination)' does not exist")
        }
        if info.type == .link {
            throw PGVError(.linkDestination, "link 'pg_data/\(rel)' cannot reference another link '\(destination)'")
        }
        let owner = (Self.owner(entry.user), Self.owner(entry.group))
        content.links.append(Manifest.Link(name: "pg_data/" + rel, destination: entry.linkDestination ?? destination,
                                           user: owner.0, group: owner.1))
        let parts = rel.split(separator: "/")
        if parts.count == 2 && parts[0] == "pg_tblspc" {
            let oidText = String(parts[1])
            guard let oid = UInt32(oidText) else {
                throw PGVError(.linkExpected, "'pg_data/\(rel)' is not a tablespace link")
            }
            if !content.paths.contains(where: { $0.name == "pg_tblspc" }), let pgData = content.paths.first {
                content.paths.append(Manifest.Path(name: "pg_tblspc", mode: pgData.mode, user: pgData.user,
                                                   group: pgData.group))
            }
            content.targets.append(Manifest.Target(name: rel, kind: .link, path: destination, tablespaceId: oidText,
                                                   tablespaceName: tablespaceNames[oid] ?? "ts\(oidText)"))
            content.paths.append(Self.path(rel, info))
            try await walk(target, directory: "", relative: rel, into: &content, tablespaceRoot: true)
            return
        }
        switch info.type {
        case .path:
            content.targets.append(Manifest.Target(name: "pg_data/" + rel, kind: .link, path: destination))
            content.paths.append(Self.path("pg_data/" + rel, info))
            try await walk(target, directory: "", relative: rel, into: &content)
        case .file:
            let slash = destination.lastIndex(of: "/")!
            let directory = String(destination[..<slash])
            content.targets.append(Manifest.Target(name: "pg_data/" + rel, kind: .link,
                                                   path: directory.isEmpty ? "/" : directory,
                                                   file: String(destination[destination.index(after: slash)...])))
            content.files.append(Self.file("pg_data/" + rel, info))
        default:
            content.warnings.append("exclude special file 'pg_data/\(rel)' from backup")
        }
    }

    static func owner(_ name: String?) -> ManifestOwner { name.map(ManifestOwner.name) ?? .unmapped }

    static func file(_ name: String, _ info: StorageInfo) -> ManifestFile {
        ManifestFile(name: name, size: info.size, timestamp: info.modified, mode: info.mode ?? 0o640,
                     user: owner(info.user), group: owner(info.group))
    }

    static func path(_ name: String, _ info: StorageInfo) -> Manifest.Path {
        Manifest.Path(name: name, mode: info.mode ?? 0o700, user: owner(info.user), group: owner(info.group))
    }
}
