import Testing
import VaultCore
import VaultRepository
@testable import VaultCommands

@Suite struct StanzaInfoMatchTests {
    let cluster = StanzaClusterIdentity(version: "15", systemId: 100, controlVersion: 1300, catalogVersion: 202_209_061)

    @Test func matchingFilesAndClusterPass() throws {
        try StanzaInfoMatch.matchCluster(ArchiveInfo(systemId: 100, version: "15"),
                                         BackupInfo(systemId: 100, version: "15", controlVersion: 1300,
                                                    catalogVersion: 202_209_061), cluster: cluster)
    }

    @Test func filesThatDisagreeAre028NamingBoth() {
        #expect(throws: PGVError(.fileInvalid, "backup info file and archive info file do not match: archive: id = 1, "
                                    + "version = 15, system-id = 100; backup: id = 1, version = 15, system-id = 200",
                                 hint: "this may be a symptom of repository corruption!")) {
            try StanzaInfoMatch.infoFilesAgree(ArchiveInfo(systemId: 100, version: "15"),
                                               BackupInfo(systemId: 200, version: "15", controlVersion: 1300,
                                                          catalogVersion: 1))
        }
    }

    @Test(arguments: [(UInt64(100), "14"), (UInt64(999), "15")])
    func anotherClusterIs028(systemId: UInt64, version: String) {
        let error = #expect(throws: PGVError.self) {
            try StanzaInfoMatch.matchCluster(ArchiveInfo(systemId: systemId, version: version),
                                             BackupInfo(systemId: systemId, version: version, controlVersion: 1300,
                                                        catalogVersion: 1), cluster: cluster)
        }
        #expect(error?.code == .fileInvalid)
        #expect(error?.message == "backup and archive info files exist but do not match the database")
    }
}
