import Foundation
import Testing
import VaultCore
import VaultPostgres
import VaultRepository
@testable import VaultCommands

/// Walks a real directory tree shaped like PGDATA with a tablespace link and excluded entries.
@Suite struct ManifestBuilderTests {
    let base = "/tmp/pgvault-manifest-\(UUID().uuidString)"
    var pgData: String { base + "/pg" }
    var tablespace: String { base + "/ts" }

    func write(_ path: String, _ text: String = "x") throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func makeTree() throws {
        for name in ["PG_VERSION", "global/pg_control", "base/1/1259", "base/1/5555_init", "base/1/5555",
                     "base/1/5555_fsm", "base/1/t3_999", "base/1/pg_internal.init", "pg_wal/000000010000000000000001",
                     "pg_wal/archive_status/000000010000000000000001.done", "postmaster.pid", "backup_label",
                     "pg_stat_tmp/global.stat", "base/pgsql_tmp/pgsql_tmp1.0", "junk/a", "keep/b",
                     "postgresql.auto.conf"] {
            try write(pgData + "/" + name, name)
        }
        try FileManager.default.createDirectory(atPath: pgData + "/pg_tblspc", withIntermediateDirectories: true)
        for name in ["PG_15_202209061/1/16401", "PG_14_202107181/1/999"] {
            try write(tablespace + "/" + name, name)
        }
        try FileManager.default.createSymbolicLink(atPath: pgData + "/pg_tblspc/16400", withDestinationPath: tablespace)
        chmod(pgData, 0o700)
    }

    func builder(online: Bool = true) throws -> ManifestBuilder {
        ManifestBuilder(dataPath: pgData, exclusions: PgDataExclusions(version: try PgVersionTable.version(major: 15), online: online),
                        userExclusions: ["junk/"], tablespaceNames: [16400: "ts1"])
    }

    @Test func walksPgDataWithExclusionsAndTablespaces() async throws {
        defer { try? FileManager.default.removeItem(atPath: base) }
        try makeTree()
        let content = try await builder().build()
        #expect(content.files.map(\.name).sorted() == [
            "pg_data/PG_VERSION", "pg_data/base/1/1259", "pg_data/base/1/5555_init", "pg_data/global/pg_control",
            "pg_data/keep/b", "pg_data/postgresql.auto.conf", "pg_tblspc/16400/PG_15_202209061/1/16401",
        ])
        #expect(content.paths.map(\.name).sorted() == [
            "pg_data", "pg_data/base", "pg_data/base/1", "pg_data/global", "pg_data/keep", "pg_data/pg_stat_tmp",
            "pg_data/pg_tblspc", "pg_data/pg_wal", "pg_data/pg_wal/archive_status", "pg_tblspc", "pg_tblspc/16400",
            "pg_tblspc/16400/PG_15_202209061", "pg_tblspc/16400/PG_15_202209061/1",
        ])
        #expect(content.targets == [
            Manifest.Target(name: "pg_data", kind: .path, path: pgData),
            Manifest.Target(name: "pg_tblspc/16400", kind: .link, path: tablespace, tablespaceId: "16400", tablespaceName: "ts1"),
        ])
        #expect(content.links.map(\.name) == ["pg_data/pg_tblspc/16400"])
        #expect(content.links.first?.destination == tablespace)
        let pgDataPath = try #require(content.paths.first { $0.name == "pg_data" })
        #expect(pgDataPath.mode == 0o700)
        let version = try #require(content.files.first { $0.name == "pg_data/PG_VERSION" })
        #expect(version.size == 10)
        #expect(version.user.name != nil)
        #expect(content.warnings.isEmpty)
    }

    @Test func offlineKeepsWal() async throws {
        defer { try? FileManager.default.removeItem(atPath: base) }
        try makeTree()
        let names = try await builder(online: false).build().files.map(\.name)
        #expect(names.contains("pg_data/pg_wal/000000010000000000000001"))
        #expect(names.contains("pg_data/pg_wal/archive_status/000000010000000000000001.done"))
    }

    @Test func plainFileInPgTblspcIsLinkExpected() async throws {
        defer { try? FileManager.default.removeItem(atPath: base) }
        try makeTree()
        try write(pgData + "/pg_tblspc/stray")
        await #expect { try await builder().build() } throws: { ($0 as? PGVError)?.code == .linkExpected }
    }

    @Test func linkToLinkIsLinkDestination() async throws {
        defer { try? FileManager.default.removeItem(atPath: base) }
        try makeTree()
        try FileManager.default.createSymbolicLink(atPath: base + "/ts-alias", withDestinationPath: tablespace)
        try FileManager.default.createSymbolicLink(atPath: pgData + "/pg_tblspc/16500", withDestinationPath: base + "/ts-alias")
        await #expect { try await builder().build() } throws: { ($0 as? PGVError)?.code == .linkDestination }
    }

    @Test func linkedDirectoryAndFileInsidePgData() async throws {
        defer { try? FileManager.default.removeItem(atPath: base) }
        try makeTree()
        try write(base + "/conf/extra.conf", "setting = 1")
        try write(base + "/logs/today.log", "log")
        try FileManager.default.createSymbolicLink(atPath: pgData + "/extra.conf", withDestinationPath: base + "/conf/extra.conf")
        try FileManager.default.createSymbolicLink(atPath: pgData + "/pg_log", withDestinationPath: base + "/logs")
        let content = try await builder().build()
        #expect(content.targets.contains(Manifest.Target(name: "pg_data/extra.conf", kind: .link, path: base + "/conf",
                                                         file: "extra.conf")))
        #expect(content.targets.contains(Manifest.Target(name: "pg_data/pg_log", kind: .link, path: base + "/logs")))
        #expect(content.files.contains { $0.name == "pg_data/extra.conf" && $0.size == 11 })
        #expect(content.files.contains { $0.name == "pg_data/pg_log/today.log" })
        #expect(BackupRun.sourcePath(of: "pg_data/pg_log/today.log", targets: content.targets, dataPath: pgData)
                == base + "/logs/today.log")
        #expect(BackupRun.sourcePath(of: "pg_data/extra.conf", targets: content.targets, dataPath: pgData)
                == base + "/conf/extra.conf")
        #expect(BackupRun.sourcePath(of: "pg_tblspc/16400/PG_15_202209061/1/16401", targets: content.targets, dataPath: pgData)
                == tablespace + "/PG_15_202209061/1/16401")
        #expect(BackupRun.sourcePath(of: "pg_data/base/1/1259", targets: content.targets, dataPath: pgData)
                == pgData + "/base/1/1259")
    }
}
