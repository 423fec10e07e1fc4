import VaultCore
import VaultIO
import VaultRepository

/// archive-get's decisions, made from archive.info, pg_control values and listings without any I/O.
public enum ArchiveGetPlan {
    /// One archived file that answers a request.
    public struct Location: Sendable, Equatable {
        public var archiveId: String
        /// Path in the repository.
        public var path: String
        /// The SHA-1 the content must have (segments), nil for files stored under their own name.
        public var sha1: String?
        /// From the stored name's extension (segments); files stored under their own name are never compressed.
        public var compressType: CompressionType

        public init(archiveId: String, path: String, sha1: String?, compressType: CompressionType) {
            self.archiveId = archiveId
            self.path = path
            self.sha1 = sha1
            self.compressType = compressType
        }
    }

    /// The archive ids to search, newest history first: those whose version and system id match the cluster's
    /// pg_control. Empty means this repository's archive belongs to another cluster.
    public static func archiveIds(_ info: ArchiveInfo, version: String, systemId: UInt64) -> [String] {
        info.history.reversed().filter { $0.version == version && $0.systemId == systemId }.map(\.archiveId)
    }

    /// True for the names stored as `<name>-<sha1>[.ext]` (`^[0-F]{24}(\.partial)?$`).
    public static func isSegment(_ name: String) -> Bool { WalArchiveName.isSegment(name) }

    /// The archived copies of segment `name` among the entry names listed in its 16-character directory: the
    /// same kind only (a `.partial` never answers for the full segment), sorted by stored name.
    public static func segmentCandidates(name: String, listed: [String]) -> [WalArchiveName] {
        let partial = name.hasSuffix(".partial")
        let segment = String(name.prefix(24))
        return listed.compactMap(WalArchiveName.init(parsing:))
            .filter { $0.segment == segment && $0.partial == partial }
            .sorted { ByteOrder.precedes($0.fileName, $1.fileName) }
    }

    /// The one copy to fetch from `candidates` (one archive id of one repository): nil when there is none;
    /// ArchiveDuplicateError [045] when copies with different SHA-1s exist (two primaries archived the same name).
    public static func choose(name: String, candidates: [WalArchiveName], archiveId: String, directory: String,
                              repoLabel: String) throws -> WalArchiveName? {
        guard let first = candidates.first else { return nil }
        if candidates.contains(where: { $0.sha1 != first.sha1 }) {
            let names = candidates.map { "\(archiveId)/\(directory)/\($0.fileName)" }.joined(separator: ", ")
            throw PGVError(.archiveDuplicate, "duplicates found for WAL segment \(name): \(repoLabel): \(names)",
                           hint: "are multiple primaries archiving to this stanza?")
        }
        return first
    }
}
