import Testing
import VaultCore
@testable import VaultPostgres

@Suite struct WalPageHeaderTests {
    /// A PostgreSQL 15 first page: magic 0xD110, XLP_LONG_HEADER, system id 0x0102030405060708, 16 MiB segments.
    static func header(magic: UInt16 = 0xD110, info: UInt16 = 0x0002, systemId: UInt64 = 0x0102_0304_0506_0708)
        -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 40)
        func put(_ value: UInt64, at offset: Int, _ count: Int) {
            for index in 0..<count { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
        }
        put(UInt64(magic), at: 0, 2)
        put(UInt64(info), at: 2, 2)
        put(1, at: 4, 4)
        put(systemId, at: 24, 8)
        put(16 << 20, at: 32, 4)
        put(8192, at: 36, 4)
        return bytes
    }

    @Test func parsesVersionSystemIdAndSegmentSize() throws {
        let header = try WalPageHeader(bytes: Self.header(), path: "/wal/x")
        #expect(header.version.major == 15)
        #expect(header.systemId == 0x0102_0304_0506_0708)
        #expect(header.segmentSize == 16 << 20)
    }

    @Test func unknownMagicIs046() {
        #expect(throws: PGVError(.versionNotSupported, "unexpected WAL magic 257",
                                 hint: "is this version of PostgreSQL supported?")) {
            _ = try WalPageHeader(bytes: Self.header(magic: 0x0101), path: "/wal/x")
        }
    }

    @Test func shortHeaderIs029() {
        #expect(throws: PGVError(.format, "first page header in WAL file is expected to be in long format")) {
            _ = try WalPageHeader(bytes: Self.header(info: 0), path: "/wal/x")
        }
        #expect(throws: PGVError(.format, "WAL file '/wal/x' is too short (39 bytes) to hold a page header")) {
            _ = try WalPageHeader(bytes: Array(Self.header().prefix(39)), path: "/wal/x")
        }
    }
}
