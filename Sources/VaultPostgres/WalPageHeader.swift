import VaultCore

/// The long page header at the start of every WAL segment (`XLogLongPageHeaderData`, little-endian):
/// `xlp_magic` u16 @0, `xlp_info` u16 @2, `xlp_tli` u32 @4, `xlp_pageaddr` u64 @8, `xlp_rem_len` u32 @16,
/// padding, `xlp_sysid` u64 @24, `xlp_seg_size` u32 @32, `xlp_xlog_blcksz` u32 @36.
/// archive-push reads it (archive-header-check) to refuse WAL of another cluster or version.
public struct WalPageHeader: Sendable, Equatable {
    /// Bytes needed to parse the long header.
    public static let size = 40
    /// `XLP_LONG_HEADER` in `xlp_info`.
    public static let longHeaderFlag: UInt16 = 0x0002

    public let magic: UInt16
    public let version: PgVersion
    public let systemId: UInt64
    public let segmentSize: UInt32

    public init(magic: UInt16, version: PgVersion, systemId: UInt64, segmentSize: UInt32) {
        self.magic = magic
        self.version = version
        self.systemId = systemId
        self.segmentSize = segmentSize
    }

    /// Parses the first bytes of a segment. A magic no supported version uses is `.versionNotSupported` (046); a
    /// short file or a first page without the long-header flag is `.format` (029).
    public init(bytes: [UInt8], path: String) throws {
        guard bytes.count >= WalPageHeader.size else {
            throw PGVError(.format, "WAL file '\(path)' is too short (\(bytes.count) bytes) to hold a page header")
        }
        func le(_ offset: Int, _ count: Int) -> UInt64 {
            var value: UInt64 = 0
            for index in (0..<count).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
            return value
        }
        let magic = UInt16(le(0, 2))
        guard let version = PgVersionTable.all.first(where: { $0.walPageMagic == magic }) else {
            throw PGVError(.versionNotSupported, "unexpected WAL magic \(magic)",
                           hint: "is this version of PostgreSQL supported?")
        }
        guard UInt16(le(2, 2)) & WalPageHeader.longHeaderFlag != 0 else {
            throw PGVError(.format, "first page header in WAL file is expected to be in long format")
        }
        self.magic = magic
        self.version = version
        systemId = le(24, 8)
        segmentSize = UInt32(le(32, 4))
    }
}
