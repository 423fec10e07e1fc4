import Testing
import VaultCore
import VaultPostgres
@testable import VaultCommands

@Suite struct ArchivePushHeaderCheckTests {
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

    @Test func headerOfAnotherClusterIs044() throws {
        let header = try WalPageHeader(bytes: Self.header(systemId: 5), path: "/wal/x")
        try ArchivePushPlan.checkHeader(header, walPath: "/wal/x", cluster: .init(version: "15", systemId: 5))
        #expect(throws: PGVError(.archiveMismatch,
                                 "WAL file '/wal/x' version 15, system-id 5 do not match stanza version 15, system-id 6")) {
            try ArchivePushPlan.checkHeader(header, walPath: "/wal/x", cluster: .init(version: "15", systemId: 6))
        }
    }
}
