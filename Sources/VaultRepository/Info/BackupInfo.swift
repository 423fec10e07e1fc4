import VaultCore

/// `backup/<stanza>/backup.info` (reference §2.5): the registered backups, the current cluster, its history and,
/// when encrypted, the sub-passphrase of manifests and `backup.history` copies.
public struct BackupInfo: InfoDocument, Equatable {
    /// Backups in ascending label order.
    public private(set) var backups: [Entry]
    /// History entries in ascending id order.
    public var history: [PgHistory]
    /// `[db] db-id`.
    public var currentId: UInt32
    /// `[cipher] cipher-pass`.
    public var cipherPass: String?

    /// A new backup.info with one history entry (id 1), as stanza-create writes.
    public init(systemId: UInt64, version: String, controlVersion: UInt32, catalogVersion: UInt32,
                cipherPass: String? = nil) {
        backups = []
        history = [PgHistory(id: 1, systemId: systemId, version: version, controlVersion: controlVersion,
                             catalogVersion: catalogVersion)]
        currentId = 1
        self.cipherPass = cipherPass
    }

    /// The current cluster's history entry.
    public var current: PgHistory { history.first { $0.id == currentId } ?? history[history.count - 1] }

    public func history(id: UInt32) -> PgHistory? { history.first { $0.id == id } }

    /// The backup with `label`.
    public func backup(_ label: String) -> Entry? { backups.first { ByteOrder.same($0.label, label) } }

    /// Labels in ascending order.
    public var labels: [String] { backups.map(\.label) }

    /// Adds or replaces a backup, keeping label order.
    public mutating func add(_ entry: Entry) {
        remove(entry.label)
        let position = backups.firstIndex { ByteOrder.precedes(entry.label, $0.label) } ?? backups.count
        backups.insert(entry, at: position)
    }

    /// Removes the backup with `label` (not its dependents).
    public mutating func remove(_ label: String) {
        backups.removeAll { ByteOrder.same($0.label, label) }
    }

    /// Adds a history entry after an upgrade and makes it current; returns it.
    @discardableResult
    public mutating func addHistory(systemId: UInt64, version: String, controlVersion: UInt32,
                                    catalogVersion: UInt32) -> PgHistory {
        let entry = PgHistory(id: (history.map(\.id).max() ?? 0) + 1, systemId: systemId, version: version,
                              controlVersion: controlVersion, catalogVersion: catalogVersion)
        history.append(entry)
        currentId = entry.id
        return entry
    }

    public init(ini: InfoIni) throws {
        let section = "db:history"
        var entries: [PgHistory] = []
        for entry in ini.entries(in: section) {
            let object = try InfoField.object(entry, section: section)
            guard let control = UInt32(exactly: try InfoField.uint(object, "db-control-version", in: section)),
                  let catalog = UInt32(exactly: try InfoField.uint(object, "db-catalog-version", in: section)) else {
                throw PGVError(.format, "invalid control or catalog version in section 'db:history'")
            }
            entries.append(PgHistory(
                id: try InfoField.historyId(entry.key, section: section),
                systemId: try InfoField.uint(object, "db-system-id", in: section),
                version: try InfoField.pgVersion(try InfoField.string(object, "db-version", in: section), section: section),
                controlVersion: control, catalogVersion: catalog))
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
        backups = []
        for entry in ini.entries(in: "backup:current") {
            add(try Entry(label: entry.key, json: try InfoField.object(entry, section: "backup:current")))
        }
    }

    public func ini() -> InfoIni {
        var ini = InfoIni()
        for backup in backups { ini.set("backup:current", backup.label, backup.json) }
        if let cipherPass { ini.set("cipher", "cipher-pass", .string(cipherPass)) }
        let current = self.current
        ini.set("db", "db-catalog-version", .uint(UInt64(current.catalogVersion)))
        ini.set("db", "db-control-version", .uint(UInt64(current.controlVersion)))
        ini.set("db", "db-id", .uint(UInt64(current.id)))
        ini.set("db", "db-system-id", .uint(current.systemId))
        ini.set("db", "db-version", .string(current.version))
        for entry in history.sorted(by: { $0.id < $1.id }) {
            ini.append("db:history", String(entry.id), entry.historyJson)
        }
        return ini
    }
}
