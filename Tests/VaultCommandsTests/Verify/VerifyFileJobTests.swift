import Testing
import VaultCore
import VaultIO
import VaultStorage
@testable import VaultCommands

@Suite struct VerifyFileJobTests {
    let content: [UInt8] = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }

    static func sha1(_ bytes: [UInt8]) -> String {
        let stage = HashStage(.sha1)
        _ = try! StagePipeline.transform(bytes, through: [stage])
        return stage.hexDigest
    }

    /// `content` compressed and encrypted as the repository stores it.
    func stored(_ compress: CompressionType, passphrase: String?) throws -> [UInt8] {
        var stages: [any ByteStage] = []
        if let stage = try compress.compressStage() { stages.append(stage) }
        if let passphrase { stages.append(try AESCipherStage(mode: .encrypt, passphrase: passphrase)) }
        return try StagePipeline.transform(content, through: stages)
    }

    func check(_ path: String = "backup/main/F/pg_data/f", compress: CompressionType = .none, passphrase: String? = nil,
               checksum: String? = nil, size: UInt64? = nil, rck: String? = nil, repoSize: UInt64? = nil,
               offset: UInt64 = 0, length: UInt64? = nil) -> VerifyPlan.FileCheck {
        VerifyPlan.FileCheck(path: path, offset: offset, length: length, cipherPass: passphrase, compressType: compress,
                             expectedChecksum: checksum ?? Self.sha1(content), expectedSize: size,
                             expectedRepoChecksum: rck, expectedRepoSize: repoSize, weight: 1,
                             headerSize: VerifyFileJob.headerSize)
    }

    @Test(arguments: [(CompressionType.lz4, true), (.gz, false), (.zst, true), (.bz2, false), (.none, false)])
    func goodFileIsValidThroughRealStages(_ compress: CompressionType, _ encrypted: Bool) async throws {
        let repo = MemoryStorage()
        let bytes = try stored(compress, passphrase: encrypted ? "sub" : nil)
        try await repo.put("backup/main/F/pg_data/f", bytes)
        let result = await VerifyFileJob(check: check(compress: compress, passphrase: encrypted ? "sub" : nil,
                                                      size: UInt64(content.count), rck: Self.sha1(bytes),
                                                      repoSize: UInt64(bytes.count)),
                                         storage: repo, pool: .shared).run()
        #expect(result.outcome == .valid)
        #expect(result.size == UInt64(content.count))
        #expect(result.header == Array(content.prefix(VerifyFileJob.headerSize)))
    }

    @Test func aFlippedByteIsAChecksumMismatch() async throws {
        let repo = MemoryStorage()
        var bytes = content
        bytes[1234] ^= 0x01
        try await repo.put("backup/main/F/pg_data/f", bytes)
        let result = await VerifyFileJob(check: check(size: UInt64(content.count)), storage: repo, pool: .shared).run()
        #expect(result.outcome == .invalid(.checksum, detail: "checksum \(Self.sha1(bytes)), expected \(Self.sha1(content))"))
    }

    @Test func aStoredChecksumMismatchIsReportedBeforeDecoding() async throws {
        let repo = MemoryStorage()
        var bytes = try stored(.lz4, passphrase: "sub")
        let good = Self.sha1(bytes)
        bytes[bytes.count / 2] ^= 0x80
        try await repo.put("backup/main/F/pg_data/f", bytes)
        let result = await VerifyFileJob(check: check(compress: .lz4, passphrase: "sub", rck: good), storage: repo,
                                         pool: .shared).run()
        #expect(result.outcome == .invalid(.checksum, detail: "stored bytes have checksum \(Self.sha1(bytes)), expected \(good)"))
    }

    @Test func aCorruptStreamWithoutRckIsUnreadable() async throws {
        let repo = MemoryStorage()
        var bytes = try stored(.lz4, passphrase: nil)
        bytes[bytes.count / 2] ^= 0xFF
        try await repo.put("archive/main/15-1/0000000100000000/x.lz4", bytes)
        let result = await VerifyFileJob(check: check("archive/main/15-1/0000000100000000/x.lz4", compress: .lz4),
                                         storage: repo, pool: .shared).run()
        guard case .invalid(let reason, let detail) = result.outcome else { Issue.record("expected invalid"); return }
        #expect(reason == .other || reason == .checksum)
        #expect(!detail.isEmpty)
    }

    @Test func aWrongPassphraseIsOther() async throws {
        let repo = MemoryStorage()
        try await repo.put("f", try stored(.none, passphrase: "right"))
        let result = await VerifyFileJob(check: check("f", passphrase: "wrong"), storage: repo, pool: .shared).run()
        guard case .invalid(let reason, let detail) = result.outcome else { Issue.record("expected invalid"); return }
        #expect(reason == .other)
        #expect(detail.hasPrefix("[095]"))
    }

    @Test func aMissingFileIsMissing() async throws {
        let result = await VerifyFileJob(check: check("backup/main/F/pg_data/gone"), storage: MemoryStorage(),
                                         pool: .shared).run()
        guard case .invalid(let reason, _) = result.outcome else { Issue.record("expected invalid"); return }
        #expect(reason == .missing)
    }

    @Test func aWrongSizeIsInvalidSize() async throws {
        let repo = MemoryStorage()
        try await repo.put("f", content)
        let result = await VerifyFileJob(check: check("f", size: 5), storage: repo, pool: .shared).run()
        #expect(result.outcome == .invalid(.size, detail: "size \(content.count), expected 5"))
    }

    @Test func aBundledFileIsReadAtItsOffset() async throws {
        let repo = MemoryStorage()
        let bytes = try stored(.gz, passphrase: "sub")
        try await repo.put("backup/main/F/bundle/1", [UInt8](repeating: 9, count: 77) + bytes + [1, 2, 3])
        let result = await VerifyFileJob(check: check("backup/main/F/bundle/1", compress: .gz, passphrase: "sub",
                                                      size: UInt64(content.count), rck: Self.sha1(bytes),
                                                      repoSize: UInt64(bytes.count), offset: 77,
                                                      length: UInt64(bytes.count)),
                                         storage: repo, pool: .shared).run()
        #expect(result.outcome == .valid)
    }

    @Test func anEmptyStoredFileMatchesTheEmptyChecksum() async throws {
        let repo = MemoryStorage()
        let empty = try StagePipeline.transform([], through: [LZ4CompressStage(), try AESCipherStage(mode: .encrypt, passphrase: "p")])
        try await repo.put("f", empty)
        let result = await VerifyFileJob(check: VerifyPlan.FileCheck(path: "f", cipherPass: "p", compressType: .lz4,
                                                                     expectedChecksum: Self.sha1([]), expectedSize: 0, weight: 0),
                                         storage: repo, pool: .shared).run()
        #expect(result.outcome == .valid)
    }
}
