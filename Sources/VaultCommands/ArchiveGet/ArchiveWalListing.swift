import VaultRepository
import VaultStorage

/// `archive-get --ls` (pgvault's own, for the runbook's "list available WAL" step): every file archived under the
/// current archive id, one `<name> <size>` line each, sorted by name. The name is the one PostgreSQL asks
/// archive-get for (a segment without its `-<sha1>.ext`); the size is the stored size in bytes.
enum ArchiveWalListing {
    struct Entry: Sendable, Equatable {
        let name: String
        let size: UInt64

        var line: String { "\(name) \(size)" }
    }

    /// The entries of a recursive listing of the archive id directory (names relative to it): files only, segment
    /// names stripped of checksum and extension, sorted by name then size.
    static func entries(_ listing: [StorageInfo]) -> [Entry] {
        listing.compactMap { info -> Entry? in
            guard info.type == .file else { return nil }
            let base = info.name.split(separator: "/").last.map(String.init) ?? info.name
            if base.hasSuffix(".pgbackrest.tmp") { return nil }
            guard let parsed = WalArchiveName(parsing: base) else { return Entry(name: base, size: info.size) }
            return Entry(name: parsed.segment + (parsed.partial ? ".partial" : ""), size: info.size)
        }
        .sorted { ByteOrder.precedes($0.name, $1.name) || ($0.name == $1.name && $0.size < $1.size) }
    }

    /// Lists the current archive id of `repository`.
    static func list(_ repository: StanzaRepository) async throws -> [Entry] {
        let info = try await repository.loadArchiveInfo()
        let path = repository.layout.archiveIdPath(info.currentArchiveId)
        return entries(try await repository.storage.listRecursive(path))
    }
}
