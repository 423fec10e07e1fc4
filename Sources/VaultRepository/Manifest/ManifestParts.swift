import VaultIO
extension Manifest {
    /// `[backup]`: the set's label, type, chain, WAL range and times.
    public struct Backup: Sendable, Equatable {
        public var label: String
        public var type: BackupType
        /// diff/incr: the label this backup is based on.
        public var prior: String?
        /// Every label of the chain including this one, in build order (rendered as one comma string).
        public var references: [String]
        public var archiveStart: String?
        public var archiveStop: String?
        public var lsnStart: String?
        public var lsnStop: String?
        public var timestampCopyStart: Int64
        public var timestampStart: Int64
        public var timestampStop: Int64?
        public var blockIncr = false
        public var bundle = false
        public var bundleRaw = false

        public init(label: String, type: BackupType, prior: String? = nil, references: [String],
                    timestampStart: Int64, timestampCopyStart: Int64) {
            self.label = label
            self.type = type
            self.prior = prior
            self.references = references
            self.timestampStart = timestampStart
            self.timestampCopyStart = timestampCopyStart
        }
    }

    /// `[backup:option]`: the options the set was made with. `compressType` decides every file's extension.
    public struct Options: Sendable, Equatable {
        public var archiveCheck = true
        public var archiveCopy = false
        public var compressType: CompressionType = .gz
        public var hardlink = false
        public var online = true
        public var backupStandby: Bool?
        public var bufferSize: UInt64?
        public var checksumPage: Bool?
        public var compressLevel: Int64?
        public var compressLevelNetwork: Int64?
        public var delta: Bool?
        public var processMax: UInt64?

        public init() {}
    }

    /// `[backup:target]`: `pg_data`, a tablespace link `pg_tblspc/<oid>`, or another link `pg_data/<rel>`.
    public struct Target: Sendable, Equatable {
        public enum Kind: String, Sendable { case path, link }
        public var name: String
        public var kind: Kind
        /// Absolute path (PGDATA, or the link's destination directory).
        public var path: String
        /// For a link to a file: the file's base name.
        public var file: String?
        public var tablespaceId: String?
        public var tablespaceName: String?

        public init(name: String, kind: Kind, path: String, file: String? = nil, tablespaceId: String? = nil,
                    tablespaceName: String? = nil) {
            self.name = name
            self.kind = kind
            self.path = path
            self.file = file
            self.tablespaceId = tablespaceId
            self.tablespaceName = tablespaceName
        }
    }

    /// `[db]`: one database: name, oid and the oid of template0.
    public struct Database: Sendable, Equatable {
        public var name: String
        public var id: UInt32
        public var lastSystemId: UInt32

        public init(name: String, id: UInt32, lastSystemId: UInt32) {
            self.name = name
            self.id = id
            self.lastSystemId = lastSystemId
        }
    }

    /// `[target:link]`: a symlink and its destination.
    public struct Link: Sendable, Equatable {
        public var name: String
        public var destination: String
        public var user: ManifestOwner
        public var group: ManifestOwner

        public init(name: String, destination: String, user: ManifestOwner, group: ManifestOwner) {
            self.name = name
            self.destination = destination
            self.user = user
            self.group = group
        }
    }

    /// `[target:path]`: a directory.
    public struct Path: Sendable, Equatable {
        public var name: String
        public var mode: UInt32
        public var user: ManifestOwner
        public var group: ManifestOwner

        public init(name: String, mode: UInt32, user: ManifestOwner, group: ManifestOwner) {
            self.name = name
            self.mode = mode
            self.user = user
            self.group = group
        }
    }

    /// A `[target:*:default]` section. Links have no mode.
    public struct Defaults: Sendable, Equatable {
        public var user: ManifestOwner
        public var group: ManifestOwner
        public var mode: UInt32?

        public init(user: ManifestOwner, group: ManifestOwner, mode: UInt32?) {
            self.user = user
            self.group = group
            self.mode = mode
        }
    }
}
