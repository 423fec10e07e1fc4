import VaultCore
import VaultRepository
import VaultStorage

/// Finds archived WAL in one archive id of a repository: segments by `<segment>[.partial]-<sha1>[.ext]` in their
/// 16-character directory, other files (`.history`, `.backup`) by exact name. Used by archive-push (duplicate
/// check), archive-get, check and backup (waiting for the backup's WAL).
public struct WalArchiveLookup: Sendable {
    public let repository: StanzaRepository
    public let archiveId: String

    public init(repository: StanzaRepository, archiveId: String) {
        self.repository = repository
        self.archiveId = archiveId
    }

    /// Every archived copy of `segment` (24 hex characters, optionally with `.partial`), parsed from the listing.
    public func find(segment: String) async throws -> [WalArchiveName] {
        let directory = repository.layout.walDirectory(archiveId: archiveId, walName: segment)
        return try await repository.storage.list(directory).compactMap { entry in
            guard entry.type == .file, entry.name.hasPrefix(segment + "-") || entry.name.hasPrefix(segment + ".partial-"),
                  let parsed = WalArchiveName(parsing: entry.name), parsed.segment == segment.prefix(24) else { return nil }
            return parsed
        }
    }

    /// The repository path of an archived segment found by `find`.
    public func path(of name: WalArchiveName) -> String {
        repository.layout.walDirectory(archiveId: archiveId, walName: name.segment) + "/" + name.fileName
    }

    /// True when every segment in `segments` is archived (any checksum).
    public func containsAll(_ segments: [String]) async throws -> Bool {
        var listings: [String: Set<String>] = [:]
        for segment in segments {
            let directory = String(segment.prefix(16))
            if listings[directory] == nil {
                let names = try await repository.storage.list(repository.layout.walDirectory(archiveId: archiveId, walName: segment))
                listings[directory] = Set(names.compactMap { WalArchiveName(parsing: $0.name).map { $0.segment } })
            }
            guard listings[directory]!.contains(segment) else { return false }
        }
        return true
    }
}
