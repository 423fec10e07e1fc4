/// Facts about one PostgreSQL major version that pgvault needs to read its files and talk to it. Rows live in
/// `PgVersionTable`; adding a version is adding a row.
public struct PgVersion: Sendable, Hashable, CustomStringConvertible {
    /// Major version number: 15.
    public var major: Int
    /// `PG_CONTROL_VERSION` (`catalog/pg_control.h`).
    public var controlVersion: UInt32
    /// `CATALOG_VERSION_NO` (`catalog/catversion.h`).
    public var catalogVersion: UInt32
    /// `XLOG_PAGE_MAGIC` (`access/xlog_internal.h`): the first two bytes of every WAL page header.
    public var walPageMagic: UInt16
    /// Where `pg_control` keeps the fields pgvault reads.
    public var controlLayout: PgControlLayout

    public init(major: Int, controlVersion: UInt32, catalogVersion: UInt32, walPageMagic: UInt16, controlLayout: PgControlLayout) {
        self.major = major
        self.controlVersion = controlVersion
        self.catalogVersion = catalogVersion
        self.walPageMagic = walPageMagic
        self.controlLayout = controlLayout
    }

    /// The version as pgBackRest writes it in `db-version` and archive ids: `"15"`.
    public var name: String { String(major) }

    public var description: String { name }

    /// `server_version_num` of the first release of this major: 150000.
    public var versionNum: Int { major * 10000 }

    /// The per-version directory inside a tablespace: `PG_15_202209061`.
    public var tablespaceDirectory: String { "PG_\(major)_\(catalogVersion)" }

    /// The WAL directory name (`pg_wal` since PostgreSQL 10).
    public var walDirectory: String { major >= 10 ? "pg_wal" : "pg_xlog" }
}
