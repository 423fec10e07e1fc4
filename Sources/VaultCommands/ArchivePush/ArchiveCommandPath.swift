import VaultCore

/// Paths handed to archive-push (`%p`) and archive-get (`%p` of restore_command). PostgreSQL runs both commands in
/// its data directory and passes paths relative to it, so a relative path is taken relative to pg1-path.
enum ArchiveCommandPath {
    /// `path` when absolute, else `<pg1-path>/<path>`; a relative path without pg1-path is `.optionRequired` (037).
    static func absolute(_ path: String, pgPath: String?, command: String) throws -> String {
        if path.hasPrefix("/") { return path }
        guard let pgPath else {
            throw PGVError(.optionRequired, "option 'pg1-path' must be specified when relative wal paths are used",
                           hint: "\(command) is given '\(path)'; pass an absolute path or set pg1-path")
        }
        return (pgPath.hasSuffix("/") ? pgPath : pgPath + "/") + path
    }

    /// The directory and the file name of an absolute path (`/a/b/c` → `/a/b`, `c`; `/c` → `/`, `c`).
    static func split(_ absolute: String) -> (directory: String, name: String) {
        guard let slash = absolute.lastIndex(of: "/") else { return ("/", absolute) }
        let directory = String(absolute[..<slash])
        return (directory.isEmpty ? "/" : directory, String(absolute[absolute.index(after: slash)...]))
    }
}
