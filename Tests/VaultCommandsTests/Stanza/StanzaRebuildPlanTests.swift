import Testing
import VaultRepository
@testable import VaultCommands

@Suite struct StanzaRebuildPlanTests {
    static let pg15 = StanzaClusterIdentity(version: "15", systemId: 100, controlVersion: 1300, catalogVersion: 202_209_061)
    static func db(_ id: UInt32, _ systemId: UInt64, _ version: String = "15") -> PgHistory {
        PgHistory(id: id, systemId: systemId, version: version, controlVersion: 1300, catalogVersion: 202_209_061)
    }

    @Test func noManifestsGiveTheClusterAsId1() {
        #expect(StanzaRebuildPlan.history(manifests: [], cluster: Self.pg15) == [Self.db(1, 100)])
    }

    @Test func manifestHistoryIsKeptWhenTheClusterIsItsNewestEntry() {
        let history = StanzaRebuildPlan.history(manifests: [Self.db(2, 100), Self.db(1, 50, "14"), Self.db(2, 100)],
                                                cluster: Self.pg15)
        #expect(history == [Self.db(1, 50, "14"), Self.db(2, 100)])
    }

    @Test func aNewerClusterBecomesTheNextId() {
        let history = StanzaRebuildPlan.history(manifests: [Self.db(1, 50)], cluster: Self.pg15)
        #expect(history.map(\.id) == [1, 2])
        #expect(history.last?.systemId == 100)
    }
}
