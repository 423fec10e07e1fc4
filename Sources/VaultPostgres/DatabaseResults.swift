/// A WAL position as the server reports it: an LSN and `pg_walfile_name()` of it.
public struct WalPosition: Sendable, Hashable {
    public var lsn: Lsn
    /// The 24-character segment name holding `lsn` (for a segment-boundary LSN, the segment that ends there).
    public var walSegment: String

    public init(lsn: Lsn, walSegment: String) {
        self.lsn = lsn
        self.walSegment = walSegment
    }

    /// The timeline encoded in the first 8 hex digits of `walSegment`.
    public var timeline: UInt32 { WalSegmentName(walSegment)?.timeline ?? UInt32(walSegment.prefix(8), radix: 16) ?? 0 }
}

/// What `pg_backup_stop(false)` returns.
public struct BackupStopResult: Sendable, Hashable {
    public var position: WalPosition
    /// The contents to store as `backup_label`.
    public var labelFile: String
    /// The contents to store as `tablespace_map`, nil when the server returned nothing or only blanks.
    public var tablespaceMapFile: String?

    public init(position: WalPosition, labelFile: String, tablespaceMapFile: String?) {
        self.position = position
        self.labelFile = labelFile
        self.tablespaceMapFile = tablespaceMapFile
    }

    public var lsn: Lsn { position.lsn }
    public var walSegment: String { position.walSegment }
}

/// One row of `pg_database`, with `lastSystemOid` as pgBackRest's `db-last-system-id` (the oid of template0).
public struct PgDatabase: Sendable, Hashable {
    public var oid: UInt32
    public var name: String
    public var lastSystemOid: UInt32

    public init(oid: UInt32, name: String, lastSystemOid: UInt32) {
        self.oid = oid
        self.name = name
        self.lastSystemOid = lastSystemOid
    }
}

/// One row of `pg_tablespace` with `pg_tablespace_location()`; `location` is nil for `pg_default` and `pg_global`.
public struct PgTablespace: Sendable, Hashable {
    public var oid: UInt32
    public var name: String
    public var location: String?

    public init(oid: UInt32, name: String, location: String?) {
        self.oid = oid
        self.name = name
        self.location = location
    }
}
