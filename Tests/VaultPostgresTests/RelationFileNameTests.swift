import Testing
@testable import VaultPostgres

struct RelationFileNameTests {
    @Test(arguments: [
        ("16384", "16384", String?.none, UInt32(0), false),
        ("16384.2", "16384", nil, 2, false),
        ("16384_fsm", "16384", "fsm", 0, false),
        ("16384_vm.1", "16384", "vm", 1, false),
        ("16384_init", "16384", "init", 0, false),
        ("t3_1234", "1234", nil, 0, true),
        ("t3_1234_fsm.4", "1234", "fsm", 4, true),
    ])
    func parsesRelationNames(name: String, relfilenode: String, fork: String?, segment: UInt32, temporary: Bool) throws {
        let parsed = try #require(RelationFileName(name))
        #expect(parsed.relfilenode == relfilenode)
        #expect(parsed.fork == fork)
        #expect(parsed.segment == segment)
        #expect(parsed.isTemporary == temporary)
    }

    @Test(arguments: ["PG_VERSION", "pg_filenode.map", "16384_xyz", "16384.", "16384.a", "t_1234", "t3_", "tx_1", "", "_fsm", "pg_internal.init"])
    func rejectsOtherNames(name: String) {
        #expect(RelationFileName(name) == nil)
    }
}
