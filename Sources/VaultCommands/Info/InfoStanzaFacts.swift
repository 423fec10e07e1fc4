import VaultRepository

/// What the info command learned about one stanza, per requested repository, before any rendering. The collector
/// (`InfoCollector`) fills it from storage; `InfoReport` turns it into pgBackRest's JSON and text without I/O.
public struct InfoStanzaFacts: Sendable {
    public var name: String
    /// One entry per requested repository, in repository order.
    public var repos: [Repo]
    /// A backup or expire holds `<lock-path>/<stanza>-backup.lock`.
    public var backupLockHeld: Bool
    /// Its progress in hundredths of a percent, when the lock file records one.
    public var percentComplete: Int?

    /// The current cluster of the stanza: that of the first repository whose backup.info loaded.
    public var current: Cluster?

    public init(name: String, repos: [Repo], current: Cluster? = nil, backupLockHeld: Bool = false,
                percentComplete: Int? = nil) {
        self.name = name
        self.repos = repos
        self.current = current
        self.backupLockHeld = backupLockHeld
        self.percentComplete = percentComplete
    }

    /// One repository's view of the stanza.
    public struct Repo: Sendable {
        /// The `N` of `repoN`.
        public var key: Int
        /// `none` or `aes-256-cbc`.
        public var cipher: String
        /// The status found while loading: 0 ok, 1 missing stanza path, 3 missing stanza data, 6 requested backup
        /// not found, 99 other (`error` says what).
        public var status: Int
        /// `[ErrorName] message` for status 99.
        public var error: String?
        public var backupInfo: BackupInfo?
        public var archiveInfo: ArchiveInfo?
        /// The manifest of `--set` when that backup is in this repository.
        public var manifest: Manifest?
        /// Oldest and newest archived segment per archive id, from listing its WAL directories; absent when none.
        public var archiveRanges: [String: WalRange]

        public init(key: Int, cipher: String, status: Int = 0, error: String? = nil, backupInfo: BackupInfo? = nil,
                    archiveInfo: ArchiveInfo? = nil, manifest: Manifest? = nil, archiveRanges: [String: WalRange] = [:]) {
            self.key = key
            self.cipher = cipher
            self.status = status
            self.error = error
            self.backupInfo = backupInfo
            self.archiveInfo = archiveInfo
            self.manifest = manifest
            self.archiveRanges = archiveRanges
        }
    }

    /// A PostgreSQL version string and system identifier.
    public struct Cluster: Sendable, Equatable {
        public var version: String
        public var systemId: UInt64

        public init(version: String, systemId: UInt64) {
            self.version = version
            self.systemId = systemId
        }
    }

    public struct WalRange: Sendable, Equatable {
        public var min: String
        public var max: String

        public init(min: String, max: String) {
            self.min = min
            self.max = max
        }
    }
}
