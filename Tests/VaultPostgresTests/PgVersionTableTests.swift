import Testing
import VaultCore
@testable import VaultPostgres

struct PgVersionTableTests {
    @Test func version15Row() throws {
        let v15 = try PgVersionTable.version(major: 15)
        #expect(v15.controlVersion == 1300)
        #expect(v15.catalogVersion == 202_209_061)
        #expect(v15.walPageMagic == 0xD110)
        #expect(v15.name == "15")
        #expect(v15.versionNum == 150_000)
        #expect(v15.tablespaceDirectory == "PG_15_202209061")
        #expect(v15.walDirectory == "pg_wal")
        #expect(v15.controlLayout == .v1201to1300)
        #expect(try PgVersionTable.version(name: "15") == v15)
        #expect(try PgVersionTable.version(versionNum: 150_004) == v15)
        #expect(try PgVersionTable.version(controlVersion: 1300, catalogVersion: 202_209_061) == v15)
    }

    @Test func rowsAreUniqueByMajorAndByControlCatalogPair() {
        let all = PgVersionTable.all
        #expect(Set(all.map(\.major)).count == all.count)
        #expect(Set(all.map { "\($0.controlVersion)/\($0.catalogVersion)" }).count == all.count)
        #expect(all.map(\.major) == all.map(\.major).sorted())
    }

    @Test func unknownVersionsAreNotSupported() {
        #expect(throws: PGVError(.versionNotSupported, "postgresql version 9 is not supported", hint: "supported versions: 12, 13, 14, 15, 16")) {
            try PgVersionTable.version(major: 9)
        }
        #expect(throws: PGVError(.versionNotSupported, "postgresql version '9.6' is not supported", hint: "supported versions: 12, 13, 14, 15, 16")) {
            try PgVersionTable.version(name: "9.6")
        }
        let error = #expect(throws: PGVError.self) { try PgVersionTable.version(controlVersion: 1300, catalogVersion: 1) }
        #expect(error?.code == .versionNotSupported)
        #expect(error?.message == "unexpected control version = 1300 and catalog version = 1")
        #expect(throws: PGVError.self) { try PgVersionTable.version(versionNum: 180_000) }
    }
}
