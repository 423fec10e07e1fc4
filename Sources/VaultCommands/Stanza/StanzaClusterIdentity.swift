import VaultPostgres

/// What the info files record about a cluster, taken from its `pg_control`: version string, system identifier,
/// control and catalog versions. Plans take this rather than `PgControl` so they can be tested with plain values.
public struct StanzaClusterIdentity: Sendable, Equatable {
    public var version: String
    public var systemId: UInt64
    public var controlVersion: UInt32
    public var catalogVersion: UInt32

    public init(version: String, systemId: UInt64, controlVersion: UInt32, catalogVersion: UInt32) {
        self.version = version
        self.systemId = systemId
        self.controlVersion = controlVersion
        self.catalogVersion = catalogVersion
    }

    public init(control: PgControl) {
        self.init(version: control.version.name, systemId: control.systemIdentifier,
                  controlVersion: control.controlVersion, catalogVersion: control.catalogVersion)
    }
}
