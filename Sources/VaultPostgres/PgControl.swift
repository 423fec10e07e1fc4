import VaultCore

/// The facts pgvault reads from `global/pg_control` (`ControlFileData` in `catalog/pg_control.h`).
///
/// Parsing picks the layout from the control and catalog versions at fixed offsets 8 and 12, then checks the
/// struct's CRC-32C (`crc` field, computed over every byte before it) exactly as PostgreSQL does at start-up.
public struct PgControl: Sendable, Hashable {
    /// Relative path of the file inside PGDATA.
    public static let path = "global/pg_control"

    public var version: PgVersion
    public var systemIdentifier: UInt64
    public var controlVersion: UInt32
    public var catalogVersion: UInt32
    /// `DBState`: 0 starting up, 1 shut down, 2 shut down in recovery, 3 shutting down, 4 in crash recovery,
    /// 5 in archive recovery, 6 in production.
    public var state: UInt32
    /// LSN of the latest checkpoint record.
    public var checkpoint: Lsn
    /// Redo LSN of the latest checkpoint.
    public var checkpointRedo: Lsn
    /// The latest checkpoint's `ThisTimeLineID`.
    public var timeline: UInt32
    /// `data_checksum_version`: 0 when the cluster was initialised without `-k`.
    public var dataChecksumVersion: UInt32
    public var pageSize: UInt32
    public var walPageSize: UInt32
    public var walSegmentSize: UInt32

    /// True when data pages carry checksums.
    public var pageChecksums: Bool { dataChecksumVersion != 0 }

    /// Parses the bytes of `pg_control`. `source` names the file in error messages.
    ///
    /// - Throws: `fileInvalid` [028] when the buffer is shorter than the struct, `versionNotSupported` [046] for
    ///   an unknown control/catalog version pair, `checksum` [026] when the stored CRC-32C does not match.
    public init(bytes: [UInt8], source: String = PgControl.path) throws {
        guard bytes.count >= 16 else {
            throw PGVError(.fileInvalid, "'\(source)' is truncated: \(bytes.count) bytes is too short for pg_control")
        }
        let controlVersion = Self.uint32(bytes, 8)
        let catalogVersion = Self.uint32(bytes, 12)
        let version = try PgVersionTable.version(controlVersion: controlVersion, catalogVersion: catalogVersion)
        let layout = version.controlLayout
        guard bytes.count >= layout.minimumSize else {
            throw PGVError(.fileInvalid,
                           "'\(source)' is truncated: \(bytes.count) bytes, pg_control needs at least \(layout.minimumSize)")
        }
        let stored = Self.uint32(bytes, layout.crc)
        let computed = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<layout.crc])) }
        guard stored == computed else {
            throw PGVError(.checksum,
                           "'\(source)' has an invalid crc: stored \(Self.hex(stored)), computed \(Self.hex(computed))",
                           hint: "the file is corrupt or was written by a build with a different pg_control layout")
        }
        self.version = version
        self.controlVersion = controlVersion
        self.catalogVersion = catalogVersion
        systemIdentifier = Self.uint64(bytes, layout.systemIdentifier)
        state = Self.uint32(bytes, layout.state)
        checkpoint = Lsn(Self.uint64(bytes, layout.checkpoint))
        checkpointRedo = Lsn(Self.uint64(bytes, layout.checkpointRedo))
        timeline = Self.uint32(bytes, layout.timeline)
        dataChecksumVersion = Self.uint32(bytes, layout.dataChecksumVersion)
        pageSize = Self.uint32(bytes, layout.pageSize)
        walPageSize = Self.uint32(bytes, layout.walPageSize)
        walSegmentSize = Self.uint32(bytes, layout.walSegmentSize)
    }

    private static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }

    private static func uint64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
