import VaultCore
import VaultRepository
import VaultStorage

/// The pure decisions of a restore (reference §7 steps 6 and 8), from the remapped layout, the manifest, the
/// options and what already exists in each target directory:
/// - without `--delta`/`--force` every target directory must be empty (`.pathNotEmpty`, 040) and a linked file
///   must not exist (`.fileExists`, 093);
/// - with them, whatever the manifest does not hold is removed: files, links (also links whose destination
///   changed), directories with their content, special files;
/// - each manifest file is copied, or with `--delta` compared by size and SHA-1 (`compare`), or with
///   `--delta --force` kept when size and mtime match and the mtime is before the copy start (`keep`);
/// - `tablespace_map` is never restored (links come from the layout) and `postgresql.auto.conf` is left alone
///   for `--type=preserve`; `global/pg_control` is written as `global/pg_control.pgbackrest.tmp`, renamed last;
/// - `RestorePathGuard` checks the manifest's targets first and the finished plan last: nothing outside the targets.
public struct RestorePlan: Sendable {
    public enum FileAction: Sendable, Equatable { case copy, compare, keep }

    public struct FileTask: Sendable, Equatable {
        public var file: ManifestFile
        /// Absolute directory of the file's target.
        public var root: String
        /// Path under `root` where the file belongs.
        public var relative: String
        /// Path under `root` to write (differs for `pg_control`).
        public var writeRelative: String
        public var action: FileAction
        /// What is at `relative` now (for `compare`/`keep`: size, mtime, mode).
        public var existing: StorageInfo?
    }

    public struct Removal: Sendable, Equatable {
        public var absolute: String
        public var type: StorageEntryType
        /// Why, for the DETAIL log line: "invalid file", "link ... because destination changed".
        public var reason: String
    }

    public struct PathEntry: Sendable, Equatable {
        public var absolute: String
        public var mode: UInt32
        public var user: ManifestOwner
        public var group: ManifestOwner
    }

    public struct LinkEntry: Sendable, Equatable {
        /// Absolute path of the symlink (inside PGDATA).
        public var absolute: String
        public var destination: String
        public var user: ManifestOwner
        public var group: ManifestOwner
    }

    /// What one clean root holds: nil when the directory does not exist.
    public struct Existing: Sendable {
        public var entries: [StorageInfo]?
        public init(_ entries: [StorageInfo]?) { self.entries = entries }
    }

    public static let controlFile = "pg_data/global/pg_control"
    public static let controlTemporary = "global/pg_control.pgbackrest.tmp"
    /// Files of the base directory never counted or removed by the clean.
    public static func ignoredBaseFiles(type: RestoreOptions.RecoveryType) -> Set<String> {
        var ignored: Set<String> = ["backup.manifest"]
        if type == .preserve {
            ignored.formUnion([RecoveryConfig.autoConfFile, RecoveryConfig.recoverySignalFile,
                               RecoveryConfig.standbySignalFile, RecoveryConfig.recoveryConfFile])
        }
        return ignored
    }

    public var removals: [Removal] = []
    /// Existing entries whose mode differs from the manifest's.
    public var modeFixes: [PathEntry] = []
    /// Every directory of the manifest (target roots first), to create when missing.
    public var paths: [PathEntry] = []
    public var links: [LinkEntry] = []
    /// Largest first, then by name.
    public var files: [FileTask] = []

    /// The directory cleaned for each target: PGDATA, `<tablespace>/PG_<ver>_<cat>`, a linked directory; nil for
    /// a file link.
    public static func cleanRoot(of target: RestoreLayout.Target, layout: RestoreLayout) -> String? {
        if target.file != nil { return nil }
        return target.isTablespace ? target.path + "/" + layout.tablespaceDirectory : target.path
    }

    /// `existing` is keyed by target name; a target missing from it is treated as a missing directory.
    public init(manifest: Manifest, layout: RestoreLayout, options: RestoreOptions, type: RestoreOptions.RecoveryType,
                existing: [String: Existing]) throws {
        try RestorePathGuard.check(manifest: manifest, options: options)
        let clean = options.delta || options.force
        let ignored = Self.ignoredBaseFiles(type: type)
        let defaults = manifest.effectiveDefaults
        let pathDefault = manifest.path(named: "pg_data")

        var linkByAbsolute: [String: LinkEntry] = [:]
        for target in layout.targets {
            guard let linkPath = target.linkPath else { continue }
            let manifestLink = manifest.links.first { $0.name == "pg_data/" + linkPath }
            let link = LinkEntry(absolute: layout.pgData + "/" + linkPath, destination: target.linkDestination,
                                 user: manifestLink?.user ?? defaults.link.user, group: manifestLink?.group ?? defaults.link.group)
            links.append(link)
            linkByAbsolute[link.absolute] = link
        }

        var manifestPaths: [String: Manifest.Path] = [:]
        for path in manifest.paths {
            guard let location = try layout.location(of: path.name) else { continue }
            manifestPaths[Self.join(location.root, location.relative)] = path
        }
        var manifestFiles: [String: (ManifestFile, String, String)] = [:]
        for file in manifest.files {
            if file.name == "pg_data/tablespace_map" { continue }
            if type == .preserve && file.name == "pg_data/" + RecoveryConfig.autoConfFile { continue }
            guard let location = try layout.location(of: file.name), !location.relative.isEmpty else {
                throw PGVError(.format, "manifest file '\(file.name)' has no place in the restore")
            }
            manifestFiles[Self.join(location.root, location.relative)] = (file, location.root, location.relative)
        }

        // Clean: emptiness check without delta, removals with it; remember what stays.
        var kept: [String: StorageInfo] = [:]
        for target in layout.targets {
            guard let root = Self.cleanRoot(of: target, layout: layout) else {
                if !clean, existing[target.name]?.entries != nil {
                    throw PGVError(.fileExists, "unable to restore file '\(target.linkDestination)' because it already exists",
                                   hint: "try using --delta if this is what you intended.")
                }
                continue
            }
            guard let entries = existing[target.name]?.entries else { continue }
            var removedPrefixes: [String] = []
            for entry in entries.sorted(by: { StoragePath.byteOrder($0.name, $1.name) }) {
                if target.name == "pg_data" && entry.type == .file && !entry.name.contains("/") && ignored.contains(entry.name) {
                    continue
                }
                if removedPrefixes.contains(where: { entry.name.hasPrefix($0 + "/") }) { continue }
                guard clean else {
                    throw PGVError(.pathNotEmpty, "unable to restore to path '\(root)' because it contains files",
                                   hint: "try using --delta if this is what you intended.")
                }
                let absolute = root + "/" + entry.name
                var reason: String?
                switch entry.type {
                case .file:
                    if let (file, _, _) = manifestFiles[absolute] {
                        if let mode = entry.mode, mode != file.mode {
                            modeFixes.append(PathEntry(absolute: absolute, mode: file.mode, user: file.user, group: file.group))
                        }
                    } else {
                        reason = "invalid file"
                    }
                case .link:
                    if let link = linkByAbsolute[absolute] {
                        if link.destination != entry.linkDestination { reason = "link because destination changed" }
                    } else {
                        reason = "invalid link"
                    }
                case .path:
                    if let path = manifestPaths[absolute], linkByAbsolute[absolute] == nil {
                        if let mode = entry.mode, mode != path.mode {
                            modeFixes.append(PathEntry(absolute: absolute, mode: path.mode, user: path.user, group: path.group))
                        }
                    } else {
                        reason = "invalid path"
                        removedPrefixes.append(entry.name)
                    }
                case .special:
                    reason = "special file"
                }
                if let reason {
                    removals.append(Removal(absolute: absolute, type: entry.type, reason: reason))
                } else {
                    kept[absolute] = entry
                }
            }
        }

        // Directories: target roots first (file links use PGDATA's mode), then every other path of the manifest.
        for target in layout.targets where target.file != nil {
            if let pathDefault {
                paths.append(PathEntry(absolute: target.path, mode: pathDefault.mode, user: pathDefault.user,
                                       group: pathDefault.group))
            }
        }
        for path in manifest.paths {
            guard let location = try layout.location(of: path.name) else { continue }
            let absolute = Self.join(location.root, location.relative)
            if linkByAbsolute[absolute] != nil { continue }
            paths.append(PathEntry(absolute: absolute, mode: path.mode, user: path.user, group: path.group))
        }
        paths.sort { Self.depth($0.absolute) != Self.depth($1.absolute) ? Self.depth($0.absolute) < Self.depth($1.absolute)
                                                                 : StoragePath.byteOrder($0.absolute, $1.absolute) }

        let deltaForce = options.delta && options.force
        for (absolute, (file, root, relative)) in manifestFiles {
            let existingFile = kept[absolute].flatMap { $0.type == .file ? $0 : nil }
            var action = FileAction.copy
            var writeRelative = relative
            if file.name == Self.controlFile {
                writeRelative = Self.controlTemporary
            } else if let existingFile, options.delta {
                if deltaForce {
                    if existingFile.size == file.size && existingFile.modified == file.timestamp
                        && existingFile.modified < manifest.backup.timestampCopyStart {
                        action = .keep
                    }
                } else if existingFile.size >= file.size {
                    action = .compare
                }
            }
            files.append(FileTask(file: file, root: root, relative: relative, writeRelative: writeRelative,
                                  action: action, existing: action == .copy ? nil : existingFile))
        }
        files.sort { $0.file.size != $1.file.size ? $0.file.size > $1.file.size
                                                  : StoragePath.byteOrder($0.file.name, $1.file.name) }
        try RestorePathGuard.check(plan: self, layout: layout)
    }

    static func join(_ root: String, _ relative: String) -> String { relative.isEmpty ? root : root + "/" + relative }
    static func depth(_ path: String) -> Int { path.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) } }
}
