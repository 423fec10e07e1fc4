import Testing
import VaultCore
import VaultPostgres
@testable import VaultCommands

@Suite struct ArchivePushHeaderCheckTests {
    @Test func headerOfAnotherClusterIs044() throws {
        let version = try PgVersionTable.version(major: 15)
        let header = WalPageHeader(magic: version.walPageMagic, version: version, systemId: 5, segmentSize: 16 << 20)
        try ArchivePushPlan.checkHeader(header, walPath: "/wal/x", cluster: .init(version: "15", systemId: 5))
        #expect(throws: PGVError(.archiveMismatch,
                                 "WAL file '/wal/x' version 15, system-id 5 do not match stanza version 15, system-id 6")) {
            try ArchivePushPlan.checkHeader(header, walPath: "/wal/x", cluster: .init(version: "15", systemId: 6))
        }
    }
}
