/// Byte offsets of the `ControlFileData` fields pgvault reads from `global/pg_control`, for one struct layout
/// (`catalog/pg_control.h`). Offsets are for 64-bit little-endian builds with 8-byte `pg_time_t` and `XLogRecPtr`.
public struct PgControlLayout: Sendable, Hashable {
    /// `uint64 system_identifier`.
    public var systemIdentifier: Int
    /// `uint32 pg_control_version`.
    public var controlVersion: Int
    /// `uint32 catalog_version_no`.
    public var catalogVersion: Int
    /// `DBState state` (an `int` enum).
    public var state: Int
    /// `XLogRecPtr checkPoint`: the LSN of the last checkpoint record.
    public var checkpoint: Int
    /// `checkPointCopy.redo`: the checkpoint's redo LSN.
    public var checkpointRedo: Int
    /// `checkPointCopy.ThisTimeLineID`.
    public var timeline: Int
    /// `uint32 blcksz`: the data page size.
    public var pageSize: Int
    /// `uint32 xlog_blcksz`: the WAL page size.
    public var walPageSize: Int
    /// `uint32 xlog_seg_size`.
    public var walSegmentSize: Int
    /// `uint32 data_checksum_version`: 0 when page checksums are off.
    public var dataChecksumVersion: Int
    /// `pg_crc32c crc`: CRC-32C of every byte before this offset.
    public var crc: Int

    public init(
        systemIdentifier: Int, controlVersion: Int, catalogVersion: Int, state: Int, checkpoint: Int,
        checkpointRedo: Int, timeline: Int, pageSize: Int, walPageSize: Int, walSegmentSize: Int,
        dataChecksumVersion: Int, crc: Int
    ) {
        self.systemIdentifier = systemIdentifier
        self.controlVersion = controlVersion
        self.catalogVersion = catalogVersion
        self.state = state
        self.checkpoint = checkpoint
        self.checkpointRedo = checkpointRedo
        self.timeline = timeline
        self.pageSize = pageSize
        self.walPageSize = walPageSize
        self.walSegmentSize = walSegmentSize
        self.dataChecksumVersion = dataChecksumVersion
        self.crc = crc
    }

    /// Layout shared by PostgreSQL 12 (control version 1201) through 16 (1300): `CheckPoint` holds a 64-bit
    /// `nextXid`, and PG 12's extra `float4ByVal` byte fits in the padding before `data_checksum_version`.
    /// Measured with `offsetof` against the PostgreSQL 15 server headers.
    public static let v1201to1300 = PgControlLayout(
        systemIdentifier: 0, controlVersion: 8, catalogVersion: 12, state: 16, checkpoint: 32,
        checkpointRedo: 40, timeline: 48, pageSize: 216, walPageSize: 224, walSegmentSize: 228,
        dataChecksumVersion: 252, crc: 288)

    /// Bytes needed to read every field and the CRC.
    public var minimumSize: Int { crc + 4 }
}
