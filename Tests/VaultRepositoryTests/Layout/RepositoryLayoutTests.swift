import Testing
@testable import VaultRepository

@Suite struct RepositoryLayoutTests {
    let layout = RepositoryLayout(stanza: "main")

    @Test func archivePaths() {
        #expect(layout.archiveInfoPath == "archive/main/archive.info")
        #expect(layout.archiveIdPath("15-1") == "archive/main/15-1")
        let sha = String(repeating: "ab", count: 20)
        #expect(layout.walFilePath(archiveId: "15-1", segment: "000000010000000200000003", sha1: sha, compressType: .lz4)
                == "archive/main/15-1/0000000100000002/000000010000000200000003-\(sha).lz4")
        #expect(RepositoryLayout.walFileName(segment: "000000010000000200000003.partial", sha1: sha, compressType: .none)
                == "000000010000000200000003.partial-\(sha)")
        #expect(layout.archiveFilePath(archiveId: "15-1", name: "000000010000000200000003.00000028.backup")
                == "archive/main/15-1/0000000100000002/000000010000000200000003.00000028.backup")
        #expect(layout.archiveFilePath(archiveId: "15-1", name: "00000002.history") == "archive/main/15-1/00000002.history")
        #expect(layout.historyFilePath(archiveId: "9.6-2", timeline: 10) == "archive/main/9.6-2/0000000A.history")
    }

    @Test func backupPaths() throws {
        let label = "20240115-101500F_20240116-101500I"
        #expect(layout.backupInfoPath == "backup/main/backup.info")
        #expect(layout.latestLinkPath == "backup/main/latest")
        #expect(layout.manifestPath(label) == "backup/main/\(label)/backup.manifest")
        #expect(layout.manifestCopyPath(label) == "backup/main/\(label)/backup.manifest.copy")
        #expect(layout.historyManifestPath(label) == "backup/main/backup.history/2024/\(label).manifest.gz")
        #expect(layout.setFilePath(label: label, manifestName: "pg_data/base/1/1259", compressType: .zst)
                == "backup/main/\(label)/pg_data/base/1/1259.zst")
        #expect(layout.bundlePath(label: label, bundleId: 3) == "backup/main/\(label)/bundle/3")
    }

    @Test func repositoryPathFollowsReferenceAndBundle() throws {
        let manifest = try Manifest.parse(Array(IncrManifestFixture.text.utf8))
        let referenced = try #require(manifest.file(named: "pg_data/PG_VERSION"))
        #expect(layout.repositoryPath(of: referenced, in: manifest) == "backup/main/20240115-101500F/pg_data/PG_VERSION.lz4")
        let bundled = try #require(manifest.file(named: "pg_data/base/1/pg_filenode.map"))
        #expect(layout.repositoryPath(of: bundled, in: manifest) == "backup/main/20240115-101500F_20240116-101500I/bundle/1")
    }
}
