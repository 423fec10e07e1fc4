import Foundation
import Testing
import VaultCore
@testable import VaultRepository

/// Typed reads of info documents (`InfoField`) on hostile values.
@Suite struct InfoDocumentTests {
    @Test func historyIdsAreBoundedSoAnUpgradeCannotOverflow() throws {
        #expect(try InfoField.historyId("1", section: "db:history") == 1)
        #expect(try InfoField.historyId("2147483647", section: "db:history") == 2_147_483_647)
        for key in ["4294967295", "2147483648", "01", "-1", "1 ", ""] {
            #expect(throws: PGVError(.format, "invalid history id '\(key)' in section 'db:history'")) {
                _ = try InfoField.historyId(key, section: "db:history")
            }
        }
        // archive.info with history id 2^32 - 1: stanza-upgrade would have computed id + 1 and trapped.
        var ini = try InfoIni.parse(Array(PgBackRestInfoFixtures.archiveInfo.utf8))
        let history = try #require(ini.entries(in: "db:history").first)
        ini.removeSection("db:history")
        ini.setRaw("db:history", "4294967295", history.raw)
        ini.setRaw("db", "db-id", "4294967295")
        #expect(throws: PGVError.self) { _ = try ArchiveInfo.parse(ini.render()) }
    }
}
