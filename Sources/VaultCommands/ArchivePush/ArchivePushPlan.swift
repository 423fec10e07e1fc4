import VaultPostgres
import VaultCore
import VaultIO
import VaultRepository

/// archive-push's decisions, made from facts (the file name, archive.info, pg_control values, the listing, the
/// SHA-1) without any I/O.
public enum ArchivePushPlan {
    /// The cluster a WAL file must belong to: from pg1-path's pg_control, or from archive.info without pg1-path.
    public struct Cluster: Sendable, Equatable {
        public var version: String
        public var systemId: UInt64

        public init(version: String, systemId: UInt64) {
            self.version = version
            self.systemId = systemId
        }
    }

    /// What to do in one repository with a segment that may already be archived.
    public enum DuplicateDecision: Sendable, Equatable {
        /// Not archived yet: write it.
        case push
        /// Archived with the same SHA-1: write nothing, warn, succeed.
        case skipSameChecksum
        /// Archived with another SHA-1: ArchiveDuplicateError [045], nothing overwritten.
        case conflict
    }

    /// True for `^[0-F]{24}(\.partial)?$`: stored as `<name>-<sha1><ext>`, compressed. Everything else (`.history`,
    /// `.backup`) is stored under its own name, uncompressed, and rewritten on every push.
    public static func isSegment(_ name: String) -> Bool { WalArchiveName.isSegment(name) }

    /// The repository path of `name` in `archiveId`: segments need their `sha1` and get the compression extension;
    /// other files keep their name (in the 16-character directory when they start with a segment name, else in the
    /// archive id directory).
    public static func repositoryPath(name: String, layout: RepositoryLayout, archiveId: String, sha1: String,
                                      compressType: CompressionType) -> String {
        guard isSegment(name) else { return layout.archiveFilePath(archiveId: archiveId, name: name) }
        return layout.walDirectory(archiveId: archiveId, walName: name) + "/" + name + "-" + sha1
            + compressType.fileExtension
    }

    /// Decides from the archived copies of a segment's 24-character name (any kind, as `WalArchiveLookup.find`
    /// lists them): only copies of the same kind count (a `.partial` is not a duplicate of the full segment).
    public static func duplicateDecision(name: String, existing: [WalArchiveName], sha1: String) -> DuplicateDecision {
        let partial = name.hasSuffix(".partial")
        let same = existing.filter { $0.partial == partial && $0.segment == String(name.prefix(24)) }
        if same.isEmpty { return .push }
        return same.contains { $0.sha1 == sha1 } ? .skipSameChecksum : .conflict
    }

    /// pg1-path's cluster against the current archive.info entry of `repoLabel`: ArchiveMismatchError [044].
    public static func checkCluster(_ cluster: Cluster, against info: ArchiveInfo, repoLabel: String) throws {
        let current = info.current
        guard current.version != cluster.version || current.systemId != cluster.systemId else { return }
        throw PGVError(.archiveMismatch,
                       "PostgreSQL version \(cluster.version), system-id \(cluster.systemId) do not match \(repoLabel) "
                           + "stanza version \(current.version), system-id \(current.systemId)",
                       hint: "are you archiving to the correct stanza?")
    }

    /// Without pg1-path the repositories' current entries must agree; the first one is the cluster. 044 otherwise.
    public static func agreedCluster(_ infos: [(label: String, info: ArchiveInfo)]) throws -> Cluster? {
        guard let first = infos.first else { return nil }
        let cluster = Cluster(version: first.info.current.version, systemId: first.info.current.systemId)
        for other in infos.dropFirst() {
            let current = other.info.current
            if current.version != cluster.version || current.systemId != cluster.systemId {
                throw PGVError(.archiveMismatch,
                               "\(other.label) stanza version \(current.version), system-id \(current.systemId) do not "
                                   + "match \(first.label) stanza version \(cluster.version), system-id \(cluster.systemId)",
                               hint: "are you archiving to the correct stanza?")
            }
        }
        return cluster
    }

    /// archive-header-check: the segment's page header against the cluster; ArchiveMismatchError [044].
    static func checkHeader(_ header: WalPageHeader, walPath: String, cluster: Cluster) throws {
        let version = header.version.name
        guard version != cluster.version || header.systemId != cluster.systemId else { return }
        throw PGVError(.archiveMismatch,
                       "WAL file '\(walPath)' version \(version), system-id \(header.systemId) do not match stanza "
                           + "version \(cluster.version), system-id \(cluster.systemId)")
    }
}
