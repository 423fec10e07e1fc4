import VaultCore
import VaultRepository

/// The last line of defence against a hostile repository at restore, so a manifest cannot make restore write, link
/// or delete outside its targets: `RestoreLayout` checks the names it builds paths from (before the command even
/// lists a target directory), `RestorePlan` checks names and recorded locations first and its own result last.
///
/// The manifest loader already refuses names with `..`, empty or absolute components (`ManifestName`, 029) and
/// `RestoreLayout` refuses overlapping targets (070). This guard adds what those cannot see:
/// - manifest targets: a tablespace name or a file-link name must be one path component (a name `../../etc` under
///   `--tablespace-map-all` would leave the directory the user gave), a tablespace id ASCII digits, and a
///   tablespace location recorded in the manifest absolute and normalised, as PostgreSQL records it (`CREATE
///   TABLESPACE` takes absolute paths only), unless the user remapped it;
/// - the finished plan: every file written, directory created, link made and entry removed lies at or below one of
///   the layout's target directories, in lexically clean form (no `.`, `..` or empty component).
/// Violations are `.format` (029) for manifest contents and `.linkDestination` (070) for locations.
enum RestorePathGuard {
    /// Checks the manifest's `[backup:target]` names and locations.
    static func check(manifest: Manifest, options: RestoreOptions) throws {
        try checkNames(manifest)
        for target in manifest.targets where target.name != "pg_data" {
            guard let oid = target.tablespaceId, !isRemapped(tablespace: oid, name: target.tablespaceName, options: options),
                  !isCleanAbsolute(target.path) else { continue }
            throw PGVError(.linkDestination,
                           "tablespace '\(target.name)' location '\(target.path)' in manifest is not a clean absolute path",
                           hint: "remap it with --tablespace-map if the backup is trusted")
        }
    }

    /// Checks the names `RestoreLayout` builds paths from (tablespace names and ids, file-link names).
    static func checkNames(_ manifest: Manifest) throws {
        for target in manifest.targets where target.name != "pg_data" {
            if let name = target.tablespaceName, !isComponent(name) {
                throw PGVError(.format, "invalid tablespace name '\(name)' of target '\(target.name)' in manifest")
            }
            if let oid = target.tablespaceId, oid.isEmpty || !oid.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
                throw PGVError(.format, "invalid tablespace id '\(oid)' of target '\(target.name)' in manifest")
            }
            if let file = target.file, !isComponent(file) {
                throw PGVError(.format, "invalid file name '\(file)' of link target '\(target.name)' in manifest")
            }
        }
    }

    /// Checks every location the plan touches against the layout's targets.
    static func check(plan: RestorePlan, layout: RestoreLayout) throws {
        let roots = layout.targets.map(\.path)
        for task in plan.files {
            guard roots.contains(task.root) else {
                throw outside(task.file.name, task.root)
            }
            for relative in [task.relative, task.writeRelative] {
                guard isCleanRelative(relative) else { throw outside(task.file.name, task.root + "/" + relative) }
            }
        }
        for path in plan.paths where !isInside(path.absolute, roots) {
            throw outside("path", path.absolute)
        }
        for link in plan.links where !isInside(link.absolute, [layout.pgData]) || link.absolute == layout.pgData {
            throw outside("link", link.absolute)
        }
        for removal in plan.removals where !isInside(removal.absolute, roots) {
            throw outside("removal", removal.absolute)
        }
    }

    private static func outside(_ what: String, _ location: String) -> PGVError {
        PGVError(.linkDestination, "restore of '\(what)' at '\(location)' would write outside the restore targets")
    }

    private static func isRemapped(tablespace oid: String, name: String?, options: RestoreOptions) -> Bool {
        options.tablespaceMapAll != nil || options.tablespaceMap.contains { $0.key == oid || $0.key == name }
    }

    /// One path component: not empty, `.` or `..`, no `/` and no NUL.
    static func isComponent(_ text: String) -> Bool {
        !text.isEmpty && text != "." && text != ".." && !text.utf8.contains(UInt8(ascii: "/")) && !text.utf8.contains(0)
    }

    /// `/a/b`: absolute, every component clean, not `/` alone.
    static func isCleanAbsolute(_ path: String) -> Bool {
        guard path.hasPrefix("/"), path.count > 1 else { return false }
        return isCleanRelative(String(path.dropFirst()))
    }

    /// `a/b`: relative, every component clean.
    static func isCleanRelative(_ path: String) -> Bool {
        path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { isComponent(String($0)) }
    }

    /// `path` is clean and equal to or below one of `roots`.
    static func isInside(_ path: String, _ roots: [String]) -> Bool {
        guard isCleanAbsolute(path) else { return false }
        return roots.contains { path == $0 || path.hasPrefix($0 + "/") }
    }
}
