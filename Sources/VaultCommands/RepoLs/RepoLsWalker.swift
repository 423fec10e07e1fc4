import VaultStorage

/// The order and selection of repo-ls entries, as pgBackRest 2.45's storage iterator produces them: each directory
/// listed through `Storage.list` and sorted by name bytes (`asc`, `desc`, or the driver's order for `none`); with
/// `--recurse`, a directory's content follows it (`asc`, `none`) or precedes it (`desc`), named relative to the
/// listed path (`a/b`). `--filter` is matched against that relative name; a directory that does not match is not
/// shown but its content still is.
struct RepoLsWalker {
    let storage: any Storage
    let options: RepoLsOptions
    let filter: RepoLsFilter?

    /// Calls `emit` for every selected entry under `path`, in output order. A missing path emits nothing.
    func walk(_ path: String, emit: (StorageInfo) async throws -> Void) async throws {
        try await walk(base: path, sub: nil, entries: try await storage.list(path), emit: emit)
    }

    private func walk(base: String, sub: String?, entries: [StorageInfo],
                      emit: (StorageInfo) async throws -> Void) async throws {
        for var entry in sorted(entries) {
            if let sub { entry.name = sub + "/" + entry.name }
            let children = options.recurse && entry.type == .path
                ? try await storage.list(StoragePath.join(base, entry.name)) : []
            let selected = filter?.matches(entry.name) ?? true
            if selected && options.sort != .desc { try await emit(entry) }
            if !children.isEmpty { try await walk(base: base, sub: entry.name, entries: children, emit: emit) }
            if selected && options.sort == .desc { try await emit(entry) }
        }
    }

    private func sorted(_ entries: [StorageInfo]) -> [StorageInfo] {
        switch options.sort {
        case .none: return entries
        case .asc: return entries.sorted { StoragePath.byteOrder($0.name, $1.name) }
        case .desc: return entries.sorted { StoragePath.byteOrder($1.name, $0.name) }
        }
    }
}
