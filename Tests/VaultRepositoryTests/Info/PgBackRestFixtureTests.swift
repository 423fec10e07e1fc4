import Testing
@testable import VaultRepository

/// Files written by pgBackRest 2.45 itself parse and re-render to identical bytes.
@Suite struct PgBackRestFixtureTests {
    @Test func archiveInfoFromPgBackRestRoundTrips() throws {
        let bytes = Array(PgBackRestInfoFixtures.archiveInfo.utf8)
        let info = try ArchiveInfo.parse(bytes)
        #expect(info.currentArchiveId == "15-1" && info.current.systemId == 7712400402180996755)
        #expect(info.render() == bytes)
        #expect(ArchiveInfo(systemId: 7712400402180996755, version: "15").render() == bytes)
    }

    @Test func backupInfoFromPgBackRestRoundTrips() throws {
        let bytes = Array(PgBackRestInfoFixtures.backupInfo.utf8)
        let info = try BackupInfo.parse(bytes)
        let entry = try #require(info.backup("20261126-085234F"))
        #expect(entry.archiveStart == nil && !entry.optionOnline && entry.error == false && entry.size == 40040805)
        #expect(info.current.catalogVersion == 202209061 && info.current.controlVersion == 1300)
        #expect(info.render() == bytes)
    }
}
