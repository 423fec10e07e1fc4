import Testing
@testable import VaultPostgres

struct PgDataExclusionsTests {
    typealias Decision = PgDataExclusions.Decision
    static let v15 = PgVersionTable.all.first { $0.major == 15 }!
    static let v12 = PgVersionTable.all.first { $0.major == 12 }!
    static let online = PgDataExclusions(version: v15, online: true)
    static let offline = PgDataExclusions(version: v15, online: false)

    @Test(arguments: [
        // Ordinary data.
        ("PG_VERSION", Decision.include),
        ("postgresql.conf", .include),
        ("postgresql.auto.conf", .include),
        ("global", .include),
        ("global/pg_control", .include),
        ("base/1/1259", .include),
        ("base/16384/16385.1", .include),
        ("pg_xact/0000", .include),
        ("pg_tblspc/16400", .include),
        ("pg_tblspc/16400/PG_15_202209061/5/16401", .include),
        // pgsql_tmp anywhere.
        ("base/pgsql_tmp", .exclude),
        ("base/pgsql_tmp/pgsql_tmp123.0", .exclude),
        ("pg_tblspc/16400/PG_15_202209061/pgsql_tmp", .exclude),
        ("pgsql_tmp_extra", .exclude),
        // Directories kept empty.
        ("pg_dynshmem", .excludeContents),
        ("pg_notify", .excludeContents),
        ("pg_replslot", .excludeContents),
        ("pg_serial", .excludeContents),
        ("pg_snapshots", .excludeContents),
        ("pg_stat_tmp", .excludeContents),
        ("pg_subtrans", .excludeContents),
        ("pg_stat_tmp/global.stat", .exclude),
        ("pg_replslot/slot1/state", .exclude),
        ("pg_subtrans/0000", .exclude),
        ("base/1/pg_stat_tmp", .include),
        // Root files.
        ("postmaster.pid", .exclude),
        ("postmaster.opts", .exclude),
        ("backup_label", .exclude),
        ("backup_label.old", .exclude),
        ("recovery.signal", .exclude),
        ("standby.signal", .exclude),
        ("postgresql.auto.conf.tmp", .exclude),
        ("backup_manifest", .exclude),
        ("backup_manifest.tmp", .exclude),
        ("recovery.conf", .include),
        ("base/1/backup_label", .include),
        // WAL while online.
        ("pg_wal", .include),
        ("pg_wal/000000010000000000000001", .exclude),
        ("pg_wal/00000002.history", .exclude),
        ("pg_wal/archive_status", .excludeContents),
        ("pg_wal/archive_status/000000010000000000000001.done", .exclude),
        // Relcache init files.
        ("global/pg_internal.init", .exclude),
        ("base/16384/pg_internal.init", .exclude),
        ("base/16384/pg_internal.init.12345", .exclude),
        ("pg_tblspc/16400/PG_15_202209061/16384/pg_internal.init", .exclude),
        ("pg_internal.init", .include),
        // Temporary relations.
        ("base/16384/t3_1234", .exclude),
        ("base/16384/t3_1234_fsm", .exclude),
        ("base/16384/t3_1234.1", .exclude),
        ("pg_tblspc/16400/PG_15_202209061/16384/t12_99", .exclude),
        ("base/16384/t3_x", .include),
    ])
    func onlineVersion15(path: String, decision: Decision) {
        #expect(Self.online.decide(path) == decision)
    }

    @Test(arguments: [
        ("pg_wal/000000010000000000000001", Decision.include),
        ("pg_wal/archive_status", .include),
        ("pg_wal/archive_status/000000010000000000000001.ready", .include),
        ("postmaster.pid", .exclude),
        ("pg_stat_tmp/db_1.stat", .exclude),
    ])
    func offlineKeepsWal(path: String, decision: Decision) {
        #expect(Self.offline.decide(path) == decision)
    }

    @Test func backupManifestOnlyExcludedFrom13() {
        let v12 = PgDataExclusions(version: Self.v12, online: true)
        #expect(v12.decide("backup_manifest") == .include)
        #expect(v12.decide("recovery.signal") == .exclude)
    }

    @Test(arguments: [
        ("base/16384/16390", Decision.exclude),
        ("base/16384/16390.1", .exclude),
        ("base/16384/16390_fsm", .exclude),
        ("base/16384/16390_vm", .exclude),
        ("base/16384/16390_init", .include),
        ("base/16384/16391", .include),
        ("base/16384/PG_VERSION", .include),
        ("pg_tblspc/16400/PG_15_202209061/16384/16390", .exclude),
        ("pg_tblspc/16400/PG_15_202209061/16384/16390_init", .include),
    ])
    func unloggedRelationsAreFoundThroughTheirInitFork(path: String, decision: Decision) {
        let siblings: Set<String> = ["16390", "16390.1", "16390_fsm", "16390_vm", "16390_init", "16391", "PG_VERSION"]
        #expect(Self.online.decide(path, siblings: siblings) == decision)
    }

    @Test(arguments: [
        ("global/1262", true),
        ("global/pg_control", false),
        ("global/pg_filenode.map", false),
        ("base/1/1259", true),
        ("base/1/1259_fsm", true),
        ("base/16384/16390.3", true),
        ("base/1/PG_VERSION", false),
        ("base/1/pg_filenode.map", false),
        ("base/1/pg_internal.init", false),
        ("pg_tblspc/16400/PG_15_202209061/16384/16401", true),
        ("pg_tblspc/16400/PG_14_202107181/16384/16401", false),
        ("pg_tblspc/16400/PG_15_202209061/16384/PG_VERSION", false),
        ("pg_xact/0000", false),
        ("PG_VERSION", false),
        ("base/1", false),
        ("base/pgsql_tmp/x", false),
        ("pg_wal/000000010000000000000001", false),
    ])
    func pageChecksumFiles(path: String, checked: Bool) {
        #expect(Self.online.checksPageChecksums(path) == checked)
    }
}
