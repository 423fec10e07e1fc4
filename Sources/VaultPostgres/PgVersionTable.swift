import VaultCore

/// The PostgreSQL versions pgvault supports, one row each. Lookups that find no row throw
/// `versionNotSupported` [046].
public enum PgVersionTable {
    /// Supported versions, oldest first. Control versions 1201 and 1300 share one `pg_control` layout; the catalog
    /// version tells 13–16 apart.
    public static let all: [PgVersion] = [
        PgVersion(major: 12, controlVersion: 1201, catalogVersion: 201909212, walPageMagic: 0xD101, controlLayout: .v1201to1300),
        PgVersion(major: 13, controlVersion: 1300, catalogVersion: 202007201, walPageMagic: 0xD106, controlLayout: .v1201to1300),
        PgVersion(major: 14, controlVersion: 1300, catalogVersion: 202107181, walPageMagic: 0xD10D, controlLayout: .v1201to1300),
        PgVersion(major: 15, controlVersion: 1300, catalogVersion: 202209061, walPageMagic: 0xD110, controlLayout: .v1201to1300),
        PgVersion(major: 16, controlVersion: 1300, catalogVersion: 202307071, walPageMagic: 0xD113, controlLayout: .v1201to1300),
    ]

    /// The row for a major version (`15`).
    public static func version(major: Int) throws -> PgVersion {
        guard let row = all.first(where: { $0.major == major }) else {
            throw PGVError(.versionNotSupported, "postgresql version \(major) is not supported",
                           hint: "supported versions: \(supportedList)")
        }
        return row
    }

    /// The row for a version name as stored in info files and archive ids (`"15"`).
    public static func version(name: String) throws -> PgVersion {
        guard let major = Int(name) else {
            throw PGVError(.versionNotSupported, "postgresql version '\(name)' is not supported",
                           hint: "supported versions: \(supportedList)")
        }
        return try version(major: major)
    }

    /// The row for a `server_version_num` (`150004`).
    public static func version(versionNum: Int) throws -> PgVersion {
        try version(major: versionNum / 10000)
    }

    /// The row whose control and catalog versions both match those read from `pg_control`.
    public static func version(controlVersion: UInt32, catalogVersion: UInt32) throws -> PgVersion {
        guard let row = all.first(where: { $0.controlVersion == controlVersion && $0.catalogVersion == catalogVersion }) else {
            throw PGVError(.versionNotSupported,
                           "unexpected control version = \(controlVersion) and catalog version = \(catalogVersion)",
                           hint: "is this version of PostgreSQL supported? supported versions: \(supportedList)")
        }
        return row
    }

    private static var supportedList: String { all.map(\.name).joined(separator: ", ") }
}
