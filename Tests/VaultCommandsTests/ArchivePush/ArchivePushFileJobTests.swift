import Foundation
import Testing
import VaultCore
import VaultIO
import VaultStorage
@testable import VaultCommands

/// Two archive-push processes of one segment started together both pass the duplicate check and both write the
/// same final name: each must write through its own temporary file so both succeed and one whole copy remains.
@Suite struct ArchivePushFileJobTests {
    let dir = "/tmp/pgvault-pushjob-\(UUID().uuidString)"
    static let segment = "000000010000000000000001"
    static let stored = "0000000100000000/000000010000000000000001-0123456789abcdef0123456789abcdef01234567.lz4"

    private func job(_ source: PosixStorage) -> ArchivePushFileJob {
        ArchivePushFileJob(source: source, sourcePath: Self.segment, compressType: .lz4, compressLevel: nil,
                           passphrase: "sub-passphrase")
    }

    @Test func writesUseAPrivateTemporaryName() {
        #expect(ArchivePushFileJob.writeOptions.privateTemporary)
        #expect(ArchivePushFileJob.writeOptions.atomic && ArchivePushFileJob.writeOptions.sync)
    }

    @Test func twoPushesOfOneSegmentAtOnceBothSucceedWithOneCopy() async throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/wal", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/repo", withIntermediateDirectories: true)
        let wal = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ ($0 >> 12)) }
        let source = try PosixStorage(root: dir + "/wal")
        try await source.put(Self.segment, wal)
        let repo = try PosixStorage(root: dir + "/repo")
        let pool = BlockingPool(threads: 2)
        defer { pool.shutdownNow() }

        for _ in 0..<5 {
            try await repo.remove(Self.stored, errorOnMissing: false)
            // Both encodings are started before either names its destination, as two processes past the check.
            let first = try await job(source).start(pool: pool)
            let second = try await job(source).start(pool: pool)
            async let a: Void = first.commit(to: repo, path: Self.stored)
            async let b: Void = job(source).write(to: repo, path: Self.stored)
            try await a
            try await b
            try await second.commit(to: repo, path: Self.stored)
            #expect(try await repo.list("0000000100000000").map(\.name) == [String(Self.stored.split(separator: "/")[1])])
            // The copy is whole: it decrypts and decompresses to the segment.
            let stored = try await repo.get(Self.stored)
            let decoded = try StagePipeline.transform(stored, through: [
                try AESCipherStage(mode: .decrypt, passphrase: "sub-passphrase"),
                try #require(try CompressionType.lz4.decompressStage()),
            ])
            #expect(decoded == wal)
        }
    }
}
