/// One `[db:history]` entry of backup.info (and the `[backup:db]` of a manifest): the cluster identity that a
/// history id stands for. Control and catalog versions come from pg_control (PG 15: 1300/202209061).
public struct PgHistory: Sendable, Equatable {
    public var id: UInt32
    public var systemId: UInt64
    public var version: String
    public var controlVersion: UInt32
    public var catalogVersion: UInt32

    public init(id: UInt32, systemId: UInt64, version: String, controlVersion: UInt32, catalogVersion: UInt32) {
        self.id = id
        self.systemId = systemId
        self.version = version
        self.controlVersion = controlVersion
        self.catalogVersion = catalogVersion
    }

    /// `<version>-<id>`, e.g. "15-1".
    public var archiveId: String { "\(version)-\(id)" }

    /// The JSON object stored in `[db:history]` of backup.info: keys in byte order.
    var historyJson: JsonValue {
        ["db-catalog-version": .uint(UInt64(catalogVersion)), "db-control-version": .uint(UInt64(controlVersion)),
         "db-system-id": .uint(systemId), "db-version": .string(version)]
    }
}
