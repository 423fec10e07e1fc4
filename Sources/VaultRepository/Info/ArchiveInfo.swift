import VaultCore

/// `archive/<stanza>/archive.info` (reference §2.4): the current cluster, the history of clusters the archive has
/// served, and, when the repository is encrypted, the sub-passphrase of WAL and history files.
///
/// Format quirk kept for compatibility: in `[db:history]` the system identifier is stored under the key `db-id`.
public struct ArchiveInfo: InfoDocument, Equatable {
    /// One history entry: id (the number in the archive id), system identifier and version string.
    public struct History: Sendable, Equatable {
        public var id: UInt32
        public var systemId: UInt64
        public var version: String

        public init(id: UInt32, systemId: UInt64, version: String) {
            self.id = id
            self.systemId = systemId
            self.version = version
        }

        /// `<version>-<id>`, e.g. "15-1": the archive id directory.
        public var archiveId: String { "\(version)-\(id)" }
    }

    /// History entries in ascending id order; the last is normally the current one.
    public var history: [History]
    /// The `[db] db-id` of the current cluster.
    public var currentId: UInt32
    /// `[cipher] cipher-pass`, the passphrase of archived files, when encrypted.
    public var cipherPass: String?

    /// A new archive.info with a single history entry (id 1), as stanza-create writes.
    public init(systemId: UInt64, version: String, cipherPass: String? = nil) {
        history = [History(id: 1, systemId: systemId, version: version)]
        currentId = 1
        self.cipherPass = cipherPass
    }

    /// The current cluster's entry.
    public var current: History { history.first { $0.id == currentId } ?? history[history.count - 1] }

    /// The archive id of the current cluster, e.g. "15-1".
    public var currentArchiveId: String { current.archiveId }

    /// The entry with history id `id`.
    public func history(id: UInt32) -> History? { history.first { $0.id == id } }

    /// The newest entry matching a cluster's version and system id (archive-get/push find their archive id so).
    public func history(version: String, systemId: UInt64) -> History? {
        history.last { $0.version == version && $0.systemId == systemId }
    }

    /// Archive ids newest first, the order in which archive-get searches.
    public var archiveIdsNewestFirst: [String] { history.reversed().map(\.archiveId) }

    /// Adds a new history entry after an upgrade and makes it current; returns it.
    @discardableResult
    public mutating func addHistory(systemId: UInt64, version: String) -> History {
        let entry = History(id: (history.map(\.id).max() ?? 0) + 1, systemId: systemId, version: version)
        history.append(entry)
        currentId = entry.id
        return entry
    }

    public init(ini: InfoIni) throws {
        let section = "db:history"
        var entries: [History] = []
        for entry in ini.entries(in: section) {
            let object = try InfoField.object(entry, section: section)
            entries.append(History(
                id: try InfoField.historyId(entry.key, section: section),
                systemId: try InfoField.uint(object, "db-id", in: section),
                version: try InfoField.pgVersion(try InfoField.string(object, "db-version", in: section), section: section)))
        }
        guard !entries.isEmpty else { throw PGVError(.format, "missing section 'db:history'") }
        history = entries.sorted { $0.id < $1.id }
        guard let id = UInt32(exactly: try InfoField.uint(ini, "db", "db-id")) else { throw InfoField.missing("db", "db-id") }
        currentId = id
        guard let current = history.first(where: { $0.id == id }),
              current.systemId == (try InfoField.uint(ini, "db", "db-system-id")),
              current.version == (try InfoField.string(ini, "db", "db-version")) else {
            throw PGVError(.format, "[db] does not match its entry in [db:history]")
        }
        cipherPass = try ini.value("cipher", "cipher-pass")?.stringValue
    }

    public func ini() -> InfoIni {
        var ini = InfoIni()
        if let cipherPass { ini.set("cipher", "cipher-pass", .string(cipherPass)) }
        let current = self.current
        ini.set("db", "db-id", .uint(UInt64(current.id)))
        ini.set("db", "db-system-id", .uint(current.systemId))
        ini.set("db", "db-version", .string(current.version))
        for entry in history.sorted(by: { $0.id < $1.id }) {
            ini.append("db:history", String(entry.id), ["db-id": .uint(entry.systemId), "db-version": .string(entry.version)])
        }
        return ini
    }
}
