import Testing
import VaultCore
import VaultRepository
@testable import VaultCommands

@Suite struct StanzaUpgradePlanTests {
    static let pg15 = StanzaClusterIdentity(version: "15", systemId: 7_712_403_663_838_570_606, controlVersion: 1300,
                                            catalogVersion: 202_209_061)
    let archive = ArchiveInfo(systemId: pg15.systemId, version: "15", cipherPass: "archive-sub")
    let backup = BackupInfo(systemId: pg15.systemId, version: "15", controlVersion: 1300, catalogVersion: 202_209_061,
                            cipherPass: "backup-sub")

    @Test func sameClusterIsUpToDate() throws {
        let plan = try StanzaUpgradePlan.decide(archive: archive, backup: backup, cluster: Self.pg15)
        #expect(plan.isUpToDate)
    }

    @Test func newMajorVersionAppendsHistoryId2AndKeepsSubPassphrases() throws {
        let pg16 = StanzaClusterIdentity(version: "16", systemId: 7_800_000_000_000_000_001, controlVersion: 1300,
                                         catalogVersion: 202_307_071)
        let plan = try StanzaUpgradePlan.decide(archive: archive, backup: backup, cluster: pg16)
        let newArchive = try #require(plan.archive)
        let newBackup = try #require(plan.backup)
        #expect(newArchive.history.map(\.archiveId) == ["15-1", "16-2"])
        #expect(newArchive.currentId == 2 && newArchive.current.systemId == pg16.systemId)
        #expect(newArchive.cipherPass == "archive-sub")
        #expect(newBackup.history.map(\.id) == [1, 2])
        #expect(newBackup.current.catalogVersion == 202_307_071 && newBackup.current.version == "16")
        #expect(newBackup.cipherPass == "backup-sub")
    }

    @Test func newSystemIdOnlyUpgradesTheFileThatDiffers() throws {
        var upgradedArchive = archive
        upgradedArchive.addHistory(systemId: 42, version: "15")
        let cluster = StanzaClusterIdentity(version: "15", systemId: 42, controlVersion: 1300, catalogVersion: 202_209_061)
        let plan = try StanzaUpgradePlan.decide(archive: upgradedArchive, backup: backup, cluster: cluster)
        #expect(plan.archive == nil)
        #expect(plan.backup?.current.id == 2)
    }

    @Test func historiesThatWouldDisagreeAre028() throws {
        var skewed = archive
        skewed.addHistory(systemId: 1, version: "15")
        skewed.addHistory(systemId: 2, version: "15")
        let cluster = StanzaClusterIdentity(version: "15", systemId: 2, controlVersion: 1300, catalogVersion: 202_209_061)
        let error = #expect(throws: PGVError.self) {
            try StanzaUpgradePlan.decide(archive: skewed, backup: backup, cluster: cluster)
        }
        #expect(error?.code == .fileInvalid)
    }
}
