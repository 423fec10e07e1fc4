import Logging
import Synchronization
import Testing
import VaultCore
import VaultRepository
import VaultStorage
@testable import VaultCommands

/// A Storage that forwards to another and records every write and removal in order (to check the removal order).
final class RecordingStorage: Storage {
    let base: MemoryStorage
    let operations = Mutex<[String]>([])

    init(_ base: MemoryStorage) { self.base = base }

    var capabilities: StorageCapabilities { base.capabilities }
    var recorded: [String] { operations.withLock { $0 } }
    private func note(_ text: String) { operations.withLock { $0.append(text) } }

    func info(_ path: String) async throws -> StorageInfo? { try await base.info(path) }
    func list(_ path: String) async throws -> [StorageInfo] { try await base.list(path) }
    func openRead(_ path: String, offset: UInt64, length: UInt64?) async throws -> any StorageReader {
        try await base.openRead(path, offset: offset, length: length)
    }
    func openWrite(_ path: String, options: StorageWriteOptions) async throws -> any StorageWriter {
        note("write \(path)")
        return try await base.openWrite(path, options: options)
    }
    func remove(_ path: String, errorOnMissing: Bool) async throws {
        note("remove \(path)")
        try await base.remove(path, errorOnMissing: errorOnMissing)
    }
    func pathRemove(_ path: String, recursive: Bool) async throws {
        note("pathRemove \(path)")
        try await base.pathRemove(path, recursive: recursive)
    }
    func pathCreate(_ path: String, mode: UInt32) async throws { try await base.pathCreate(path, mode: mode) }
    func linkCreate(_ path: String, destination: String) async throws {
        note("link \(path) -> \(destination)")
        try await base.linkCreate(path, destination: destination)
    }
    func listRecursive(_ path: String) async throws -> [StorageInfo] { try await base.listRecursive(path) }
}

/// Log lines as `LEVEL message`, shared by every copy of a `RecordingLogHandler`.
final class LogLines: Sendable {
    let lines = Mutex<[String]>([])
}

struct RecordingLogHandler: LogHandler {
    let sink: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) { sink.lines.withLock { $0.append("\(event.level) \(event.message)") } }
}

@Suite struct ExpireRunTests {
    typealias F = ExpireFixtures
    static let layout = RepositoryLayout(stanza: "main")
    static func seg(_ n: Int) -> String { ArchiveRangeRemovalTests.seg(0, n) }
    static func wal(_ n: Int) -> String { "archive/main/15-1/0000000100000000/" + ArchiveRangeRemovalTests.file(seg(n)) }

    /// Three fulls (WAL 2..3, 5..6, 8..9) with an incr on the first, a resumable incr on the newest, WAL 1..10,
    /// and history manifests of every set.
    static func repository() async throws -> (RecordingStorage, StanzaRepository, LogLines) {
        let memory = MemoryStorage()
        let storage = RecordingStorage(memory)
        let handler = LogLines()
        let logger = Logger(label: "test", factory: { _ in RecordingLogHandler(sink: handler) })
        let repo = StanzaRepository(index: 1, stanza: "main", storage: storage, cipherPass: nil, logger: logger)
        var info = BackupInfo(systemId: 7, version: "15", controlVersion: 1300, catalogVersion: 202209061)
        let entries = [F.entry(F.full(1), wal: (seg(2), seg(3))),
                       F.entry(F.incr(1, 2), prior: F.full(1), wal: (seg(4), seg(4))),
                       F.entry(F.full(3), wal: (seg(5), seg(6))),
                       F.entry(F.full(5), wal: (seg(8), seg(9)))]
        for entry in entries {
            info.add(entry)
            try await memory.put(layout.manifestPath(entry.label), Array("manifest".utf8))
            try await memory.put(layout.manifestCopyPath(entry.label), Array("manifest".utf8))
            try await memory.put(layout.setPath(entry.label) + "/pg_data/PG_VERSION.gz", [1])
            try await memory.put(layout.historyManifestPath(entry.label), [2])
        }
        let resumable = F.incr(5, 6)
        try await memory.put(layout.manifestCopyPath(resumable), Array("copy".utf8))
        try await repo.save(info)
        try await repo.save(ArchiveInfo(systemId: 7, version: "15"))
        for n in 1...10 { try await memory.put(wal(n), [UInt8(n)]) }
        try await memory.put("archive/main/15-1/0000000100000000/" + seg(2) + ".00000028.backup", [0])
        return (storage, repo, handler)
    }

    static func run(_ repo: StanzaRepository, _ handler: LogLines, retention: ExpireRetention,
                    dryRun: Bool = false, adhoc: String? = nil, now: Int64 = 0) async throws -> Bool {
        let logger = Logger(label: "test", factory: { _ in RecordingLogHandler(sink: handler) })
        return try await ExpireRun(repository: repo, retention: retention, repoPath: "/repo",
                                   log: ExpireLog(logger: logger, dryRun: dryRun), dryRun: dryRun, now: now)
            .execute(adhocLabel: adhoc)
    }

    static func snapshot(_ storage: RecordingStorage) async throws -> [String] {
        try await storage.base.listRecursive("").map { "\($0.type) \($0.name)" }
    }

    @Test func countRetentionSavesBackupInfoFirstThenDeletesSetsAndWal() async throws {
        let (storage, repo, handler) = try await Self.repository()
        let before = storage.recorded.count
        _ = try await Self.run(repo, handler, retention: ExpireRetention(full: 2))

        let info = try await repo.loadBackupInfo()
        #expect(info.labels == [F.full(3), F.full(5)])
        for gone in [F.full(1), F.incr(1, 2)] {
            #expect(try await storage.base.info(Self.layout.setPath(gone)) == nil)
        }
        // The resumable incr on the newest full is spared, and so are the kept sets.
        #expect(try await storage.base.exists(Self.layout.manifestCopyPath(F.incr(5, 6))))
        #expect(try await storage.base.exists(Self.layout.manifestPath(F.full(3))))
        // WAL before the boundary (full 3 starts at 5) goes, including the old .backup file.
        for n in 1...4 { #expect(try await !storage.base.exists(Self.wal(n))) }
        for n in 5...10 { #expect(try await storage.base.exists(Self.wal(n))) }

        let operations = Array(storage.recorded.dropFirst(before))
        let infoWrite = try #require(operations.firstIndex(of: "write backup/main/backup.info"))
        let copyWrite = try #require(operations.firstIndex(of: "write backup/main/backup.info.copy"))
        let manifestRemove = try #require(operations.firstIndex(of: "remove backup/main/\(F.incr(1, 2))/backup.manifest"))
        let setRemove = try #require(operations.firstIndex(of: "pathRemove backup/main/\(F.incr(1, 2))"))
        #expect(infoWrite < copyWrite && copyWrite < manifestRemove && manifestRemove < setRemove)
        #expect(operations.firstIndex(of: "pathRemove backup/main/\(F.full(1))")! > setRemove)

        let lines = handler.lines.withLock { $0 }
        #expect(lines.contains("notice repo1: expire full backup set \(F.full(1)), \(F.incr(1, 2))"))
        #expect(lines.contains("notice repo1: remove expired backup \(F.incr(1, 2))"))
        #expect(lines.contains("notice repo1: 15-1 remove archive, start = \(Self.seg(1)), stop = \(Self.seg(4))"))
        #expect(lines.contains("info repo1: 15-1 archive retention on backup \(F.full(3)), start = \(Self.seg(5))"))
    }

    @Test func dryRunChangesNothingAndLogsWithThePrefix() async throws {
        let (storage, repo, handler) = try await Self.repository()
        let before = try await Self.snapshot(storage)
        let writes = storage.recorded.count
        _ = try await Self.run(repo, handler, retention: ExpireRetention(full: 1, history: 0), dryRun: true,
                           now: Self.midJanuary4)
        #expect(try await Self.snapshot(storage) == before)
        #expect(storage.recorded.count == writes)
        let lines = handler.lines.withLock { $0 }
        #expect(lines.contains("notice [DRY-RUN] repo1: expire full backup \(F.full(3))"))
        #expect(lines.contains("notice [DRY-RUN] repo1: remove expired backup \(F.full(1))"))
        #expect(lines.contains { $0.hasPrefix("notice [DRY-RUN] repo1: remove expired backup history manifest ") })
    }

    @Test func adhocExpireOfTheNewestFullMovesLatestAndKeepsTheResumableOfAnotherChain() async throws {
        let (storage, repo, handler) = try await Self.repository()
        let found = try await Self.run(repo, handler, retention: ExpireRetention(), adhoc: F.full(3))
        #expect(found)
        #expect(try await repo.loadBackupInfo().labels == [F.full(1), F.incr(1, 2), F.full(5)])
        #expect(try await storage.base.info(Self.layout.setPath(F.full(3))) == nil)
        #expect(try await storage.base.exists(Self.layout.manifestCopyPath(F.incr(5, 6))))
        let lines = handler.lines.withLock { $0 }
        #expect(lines.contains("notice repo1: expire adhoc backup \(F.full(3))"))
        #expect(lines.contains("notice option 'repo1-retention-archive' is not set - archive logs will not be expired"))
    }

    /// 2024-01-04 12:00 UTC: whatever the local time zone, the history boundary falls between the first and the
    /// last full of the fixture.
    static let midJanuary4: Int64 = 1_704_369_600

    @Test func historyRetentionRemovesManifestsOfExpiredBackupsOnly() async throws {
        let (storage, repo, handler) = try await Self.repository()
        _ = try await Self.run(repo, handler, retention: ExpireRetention(full: 2, history: 0), now: Self.midJanuary4)
        #expect(try await !storage.base.exists(Self.layout.historyManifestPath(F.full(1))))
        #expect(try await !storage.base.exists(Self.layout.historyManifestPath(F.incr(1, 2))))
        #expect(try await storage.base.exists(Self.layout.historyManifestPath(F.full(3))))
        #expect(try await storage.base.exists(Self.layout.historyManifestPath(F.full(5))))
        let lines = handler.lines.withLock { $0 }
        #expect(lines.contains("notice repo1: remove expired backup history manifest \(F.full(1)).manifest.gz"))
    }

    @Test func historyOfAnEarlierYearGoesWhole() async throws {
        let (storage, repo, handler) = try await Self.repository()
        _ = try await Self.run(repo, handler, retention: ExpireRetention(full: 2, history: 1), now: 1_740_000_000)
        #expect(try await storage.base.list("backup/main/backup.history").isEmpty)
        #expect(handler.lines.withLock { $0 }.contains("notice repo1: remove expired backup history path 2024"))
    }

    @Test func aMissingAdhocLabelExpiresNothing() async throws {
        let (_, repo, handler) = try await Self.repository()
        let found = try await Self.run(repo, handler, retention: ExpireRetention(), adhoc: "20200101-000000F")
        #expect(!found)
        #expect(try await repo.loadBackupInfo().backups.count == 4)
    }
}
