import Testing
import VaultCore
import VaultIO
import VaultPostgres
import VaultRepository
import VaultStorage
@testable import VaultCommands

/// One file through the backup chain, source and repository in `MemoryStorage`.
@Suite struct BackupFileJobTests {
    /// The stage pool the job's front half runs on; never `.shared`, which the back half and storage use.
    static let pool = BlockingPool(threads: 2)
    static let content: [UInt8] = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 * 7 / 5) }

    static func sha1(_ bytes: [UInt8]) throws -> String {
        let hash = HashStage(.sha1)
        _ = try StagePipeline.transform(bytes, through: [hash])
        return hash.hexDigest
    }

    func storages(_ content: [UInt8] = BackupFileJobTests.content) async throws -> (MemoryStorage, MemoryStorage) {
        let source = MemoryStorage(root: "/pg")
        try await source.put("base/1/16384", content)
        return (source, MemoryStorage(root: "/repo"))
    }

    func input(repoPath: String = "backup/main/L/pg_data/base/1/16384") -> BackupFileJob.Input {
        BackupFileJob.Input(name: "pg_data/base/1/16384", sourcePath: "base/1/16384", repoPath: repoPath)
    }

    @Test func plainCopyStoresTheBytes() async throws {
        let (source, repo) = try await storages()
        let job = BackupFileJob(source: source, repository: repo, compressType: .none, compressLevel: 0, cipherPass: nil,
                                pool: Self.pool, chunkSize: 65536)
        let result = try await job.run(input())
        #expect(result == BackupFileJob.Result(name: "pg_data/base/1/16384", outcome: .copied, size: 300_000,
                                               checksum: try Self.sha1(Self.content), repoSize: 300_000,
                                               repoChecksum: nil, pageChecksum: nil))
        #expect(try await repo.get("backup/main/L/pg_data/base/1/16384") == Self.content)
    }

    @Test(arguments: [CompressionType.lz4, .gz, .zst, .bz2])
    func compressedAndEncryptedOutputDecryptsToTheInput(_ type: CompressionType) async throws {
        let (source, repo) = try await storages()
        let pass = "set-passphrase"
        let path = "backup/main/L/pg_data/base/1/16384" + type.fileExtension
        let job = BackupFileJob(source: source, repository: repo, compressType: type, compressLevel: type.defaultLevel,
                                cipherPass: pass, pool: Self.pool, chunkSize: 50_000)
        let result = try await job.run(input(repoPath: path))
        let stored = try await repo.get(path)
        #expect(result.outcome == .copied)
        #expect(result.size == 300_000)
        #expect(result.checksum == (try Self.sha1(Self.content)))
        #expect(result.repoSize == UInt64(stored.count))
        #expect(result.repoChecksum == (try Self.sha1(stored)))
        let plain = try StagePipeline.transform(stored, through: [try AESCipherStage(mode: .decrypt, passphrase: pass),
                                                                  try #require(try type.decompressStage())])
        #expect(plain == Self.content)
    }

    @Test func emptyFile() async throws {
        let (source, repo) = try await storages([])
        let result = try await BackupFileJob(source: source, repository: repo, compressType: .gz, compressLevel: 6,
                                             cipherPass: nil, pool: Self.pool).run(input(repoPath: "f.gz"))
        #expect(result.size == 0)
        #expect(result.checksum == RepositoryFormat.emptySHA1)
        #expect(result.repoSize > 0)
    }

    @Test func pageChecksumsReportFailingBlocks() async throws {
        var pages = [UInt8](repeating: 0, count: 8192 * 3)
        pages[8192 + 100] = 1          // block 1: data with no valid checksum
        let (source, repo) = try await storages(pages)
        var job = input()
        job.pageChecksumSegment = 1    // segment 1: absolute block = 131072 + index
        let result = try await BackupFileJob(source: source, repository: repo, compressType: .none, compressLevel: 0,
                                             cipherPass: nil, pool: Self.pool).run(job)
        #expect(result.pageChecksum == PageChecksumResult(failingBlocks: [131_073], aligned: true))
        #expect(result.pageChecksum?.valid == false)
    }

    @Test func misalignedRelationFile() async throws {
        let (source, repo) = try await storages([UInt8](repeating: 0, count: 8192 + 100))
        var job = input()
        job.pageChecksumSegment = 0
        let result = try await BackupFileJob(source: source, repository: repo, compressType: .none, compressLevel: 0,
                                             cipherPass: nil, pool: Self.pool).run(job)
        #expect(result.pageChecksum == PageChecksumResult(failingBlocks: [], aligned: false))
    }

    @Test func deltaMatchStoresNothing() async throws {
        let (source, repo) = try await storages()
        var job = input()
        job.deltaChecksum = try Self.sha1(Self.content)
        let result = try await BackupFileJob(source: source, repository: repo, compressType: .lz4, compressLevel: 1,
                                             cipherPass: nil, pool: Self.pool).run(job)
        #expect(result.outcome == .matched)
        #expect(try await repo.exists(job.repoPath) == false)
        // A changed file is copied.
        job.deltaChecksum = String(repeating: "0", count: 40)
        #expect(try await BackupFileJob(source: source, repository: repo, compressType: .lz4, compressLevel: 1,
                                        cipherPass: nil, pool: Self.pool).run(job).outcome == .copied)
        #expect(try await repo.exists(job.repoPath))
    }

    @Test func vanishedSourceIsMissing() async throws {
        let (source, repo) = try await storages()
        var job = input()
        job.sourcePath = "base/1/gone"
        let result = try await BackupFileJob(source: source, repository: repo, compressType: .none, compressLevel: 0,
                                             cipherPass: nil, pool: Self.pool).run(job)
        #expect(result.outcome == .missing)
    }

    @Test func resumedFileIsKeptOnlyWhenItVerifies() async throws {
        let (source, repo) = try await storages()
        let job = BackupFileJob(source: source, repository: repo, compressType: .lz4, compressLevel: 1, cipherPass: "p",
                                pool: Self.pool)
        let first = try await job.run(input())
        var resumedEntry = ManifestFile(name: first.name, size: first.size, timestamp: 1, checksum: first.checksum,
                                        repoSize: first.repoSize, mode: 0o600, user: .unmapped, group: .unmapped)
        resumedEntry.repoChecksum = first.repoChecksum
        var again = input()
        again.resumed = resumedEntry
        let kept = try await job.run(again)
        #expect(kept.outcome == .resumed)
        #expect(kept.checksum == first.checksum)
        #expect(kept.repoChecksum == first.repoChecksum)
        // Damaged stored bytes are copied again.
        var stored = try await repo.get(again.repoPath)
        stored[stored.count / 2] ^= 0xFF
        try await repo.put(again.repoPath, stored)
        let recopied = try await job.run(again)
        #expect(recopied.outcome == .copied)
        #expect(recopied.checksum == first.checksum)
    }
}
