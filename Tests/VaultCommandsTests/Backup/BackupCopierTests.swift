import Logging
import Synchronization
import Testing
import VaultCore
import VaultPostgres
import VaultRepository
import VaultStorage
@testable import VaultCommands

/// The copy loop's keep-alive: the database session is checked between files, and its failure (the cluster stopped
/// mid-backup) ends the backup with that error.
@Suite struct BackupCopierTests {
    static let pool = BlockingPool(threads: 2)

    /// `count` small files in a MemoryStorage source, their job inputs and a manifest listing them.
    func fixture(count: Int) async throws -> (BackupFileJob, [BackupFileJob.Input], [String: UInt64], Manifest) {
        let source = MemoryStorage(root: "/pg")
        var inputs: [BackupFileJob.Input] = []
        var files: [ManifestFile] = []
        var sizes: [String: UInt64] = [:]
        for index in 0..<count {
            try await source.put("base/1/\(index)", Array(repeating: UInt8(index), count: 100))
            let name = "pg_data/base/1/\(index)"
            inputs.append(.init(name: name, sourcePath: "base/1/\(index)", repoPath: "backup/main/L/\(name)"))
            files.append(ManifestFile(name: name, size: 100, timestamp: 1, mode: 0o600, user: .name("postgres"),
                                      group: .name("postgres")))
            sizes[name] = 100
        }
        var manifest = Manifest(backup: .init(label: "L", type: .full, references: [], timestampStart: 1, timestampCopyStart: 1),
                                db: PgHistory(id: 1, systemId: 7, version: "15", controlVersion: 1300, catalogVersion: 202209061),
                                options: Manifest.Options())
        manifest.files = files
        manifest.sortLists()
        let job = BackupFileJob(source: source, repository: MemoryStorage(root: "/repo"), compressType: .none,
                                compressLevel: 0, cipherPass: nil, pool: Self.pool, chunkSize: 65536)
        return (job, inputs, sizes, manifest)
    }

    func copier(_ job: BackupFileJob, keepAlive: (@Sendable () async throws -> Void)?, interval: Double) -> BackupCopier {
        var copier = BackupCopier(job: job, processMax: 1, logger: Logger(label: "test"), displayPath: { $0 },
                                  saveInterval: .max, save: { _ in }, progress: { _ in })
        copier.keepAlive = keepAlive
        copier.keepAliveInterval = interval
        return copier
    }

    @Test func aFailingSessionEndsTheCopyWithItsError() async throws {
        let (job, inputs, sizes, start) = try await fixture(count: 20)
        let calls = Atomic<Int>(0)
        let copier = copier(job, keepAlive: {
            calls.add(1, ordering: .relaxed)
            throw PGVError(.dbQuery, "unable to execute query 'SELECT 1': server closed the connection unexpectedly")
        }, interval: 0)
        var manifest = start
        await #expect(throws: PGVError(.dbQuery, "unable to execute query 'SELECT 1': server closed the connection unexpectedly")) {
            _ = try await copier.run(inputs, sizes: sizes, manifest: &manifest)
        }
        // The first check failed: the copy stopped there instead of going through the other files.
        #expect(calls.load(ordering: .relaxed) == 1)
    }

    @Test func aLiveSessionIsCheckedAndTheCopyCompletes() async throws {
        let (job, inputs, sizes, start) = try await fixture(count: 5)
        let calls = Atomic<Int>(0)
        let copier = copier(job, keepAlive: { calls.add(1, ordering: .relaxed) }, interval: 0)
        var manifest = start
        let summary = try await copier.run(inputs, sizes: sizes, manifest: &manifest)
        #expect(summary.copiedSize == 500)
        #expect(calls.load(ordering: .relaxed) == 5)
        #expect(manifest.files.allSatisfy { $0.repoSize == 100 })
    }

    @Test func checksAreSpacedByTheInterval() async throws {
        let (job, inputs, sizes, start) = try await fixture(count: 5)
        let calls = Atomic<Int>(0)
        let copier = copier(job, keepAlive: { calls.add(1, ordering: .relaxed) }, interval: 3600)
        var manifest = start
        _ = try await copier.run(inputs, sizes: sizes, manifest: &manifest)
        #expect(calls.load(ordering: .relaxed) == 0)
    }
}
