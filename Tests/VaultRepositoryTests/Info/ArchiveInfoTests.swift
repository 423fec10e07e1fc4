import Testing
import VaultCore
@testable import VaultRepository

@Suite struct ArchiveInfoTests {
    @Test func stanzaCreateRendersPgBackRestGoldenBytes() {
        let info = ArchiveInfo(systemId: 7712362098826484028, version: "15")
        #expect(String(decoding: info.render(), as: UTF8.self) == InfoIniTests.archiveInfoGolden)
        #expect(info.currentArchiveId == "15-1")
    }

    @Test func parsesGoldenWithSystemIdUnderDbIdQuirk() throws {
        let info = try ArchiveInfo.parse(Array(InfoIniTests.archiveInfoGolden.utf8))
        #expect(info.history == [ArchiveInfo.History(id: 1, systemId: 7712362098826484028, version: "15")])
        #expect(info.current.systemId == 7712362098826484028)
        #expect(info.cipherPass == nil)
    }

    @Test func historyAfterUpgradeRoundTripsAndSearchesNewestFirst() throws {
        var info = ArchiveInfo(systemId: 1, version: "14", cipherPass: "sub/pass+x")
        for step in 0..<10 { info.addHistory(systemId: UInt64(2 + step), version: "15") }
        let bytes = info.render()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("[cipher]\ncipher-pass=\"sub/pass+x\"\n\n[db]\ndb-id=11\n"))
        // History ids are written in numeric order, which is what pgBackRest's loader expects.
        #expect(text.contains("9={\"db-id\":9,\"db-version\":\"15\"}\n10={\"db-id\":10,\"db-version\":\"15\"}\n"))
        let parsed = try ArchiveInfo.parse(bytes)
        #expect(parsed == info)
        #expect(parsed.render() == bytes)
        #expect(parsed.currentArchiveId == "15-11")
        #expect(parsed.archiveIdsNewestFirst.prefix(2) == ["15-11", "15-10"])
        #expect(parsed.history(version: "14", systemId: 1)?.archiveId == "14-1")
    }

    @Test func inconsistentDbSectionIsFormatError() throws {
        var ini = ArchiveInfo(systemId: 5, version: "15").ini()
        ini.set("db", "db-system-id", .uint(6))
        #expect(throws: PGVError(.format, "[db] does not match its entry in [db:history]")) {
            try ArchiveInfo.parse(ini.render())
        }
    }
}
