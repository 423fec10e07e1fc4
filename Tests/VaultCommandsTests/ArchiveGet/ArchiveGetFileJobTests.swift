import Logging
import Testing
import VaultCore
import VaultIO
import VaultRepository
import VaultStorage
@testable import VaultCommands

/// Round trips through `ArchivePushFileJob` and `ArchiveGetFileJob` on `MemoryStorage`: what push stores, get
/// restores byte for byte, with every compression and with encryption; a wrong checksum or passphrase leaves
/// nothing at the destination.
@Suite struct ArchiveGetFileJobTests {
    static let segment = "000000010000000000000003"
    /// 3 MiB of WAL-like content: runs of zeros and varying bytes.
    static let content: [UInt8] = (0..<(3 << 20)).map { index in index % 8192 < 4000 ? 0 : UInt8(truncatingIfNeeded: index &* 31 >> 3) }
    static let passphrase = "archive-sub-passphrase"

    func push(_ compress: CompressionType, passphrase: String?) async throws
        -> (repo: MemoryStorage, location: ArchiveGetPlan.Location) {
        let source = MemoryStorage()
        try await source.put("pg_wal/\(Self.segment)", Self.content)
        let repo = MemoryStorage()
        let sha1 = Digest.sha1Hex(Self.content)
        let path = ArchivePushPlan.repositoryPath(name: Self.segment, layout: RepositoryLayout(stanza: "main"),
                                                  archiveId: "15-1", sha1: sha1, compressType: compress)
        try await ArchivePushFileJob(source: source, sourcePath: "pg_wal/\(Self.segment)", compressType: compress,
                                     compressLevel: nil, passphrase: passphrase).write(to: repo, path: path)
        return (repo, ArchiveGetPlan.Location(archiveId: "15-1", path: path, sha1: sha1, compressType: compress))
    }

    @Test(arguments: CompressionType.allCases, [false, true])
    func pushThenGetRestoresTheSegment(compress: CompressionType, encrypted: Bool) async throws {
        let passphrase = encrypted ? Self.passphrase : nil
        let (repo, location) = try await push(compress, passphrase: passphrase)
        let stored = try await repo.get(location.path)
        #expect(Array(stored.prefix(8)) == (encrypted ? Array("Salted__".utf8) : Array(stored.prefix(8))))
        if compress == .none && !encrypted { #expect(stored == Self.content) } else { #expect(stored != Self.content) }

        let destination = MemoryStorage()
        try await ArchiveGetFileJob(storage: repo, location: location, passphrase: passphrase, source: "repo1: 15-1")
            .copy(to: destination, name: "RECOVERYXLOG")
        #expect(try await destination.get("RECOVERYXLOG") == Self.content)
    }

    @Test func checksumMismatchIs026AndLeavesNothing() async throws {
        let (repo, location) = try await push(.lz4, passphrase: nil)
        var wrong = location
        wrong.sha1 = String(repeating: "0", count: 40)
        let destination = MemoryStorage()
        await #expect(throws: PGVError(.checksum, "WAL file '\(location.path)' from the repo1: 15-1 archive has checksum "
                                       + "\(location.sha1!) but its name says \(wrong.sha1!)")) {
            try await ArchiveGetFileJob(storage: repo, location: wrong, passphrase: nil, source: "repo1: 15-1")
                .copy(to: destination, name: "RECOVERYXLOG")
        }
        #expect(try await destination.listRecursive("").isEmpty)
    }

    /// A wrong key fails the final block's padding check (095), except when the garbage happens to end in valid
    /// padding (about 1 in 256 random salts): then the SHA-1 check catches it (026). Either way nothing is written.
    @Test func wrongPassphraseIsCryptoErrorAndLeavesNothing() async throws {
        let (repo, location) = try await push(.none, passphrase: Self.passphrase)
        let destination = MemoryStorage()
        let error = await #expect(throws: PGVError.self) {
            try await ArchiveGetFileJob(storage: repo, location: location, passphrase: "wrong", source: "repo1: 15-1")
                .copy(to: destination, name: "RECOVERYXLOG")
        }
        #expect(error?.code == .crypto || error?.code == .checksum)
        #expect(try await destination.listRecursive("").isEmpty)
    }

    /// A flipped byte in a compressed segment fails decompression: the error keeps its code and names the stored
    /// file (reliability scenario corruption.sh), and nothing is written.
    @Test func corruptStreamErrorNamesTheFileAndLeavesNothing() async throws {
        let (repo, location) = try await push(.lz4, passphrase: nil)
        var stored = try await repo.get(location.path)
        for index in stride(from: 64, to: stored.count - 16, by: 97) { stored[index] ^= 0x5a }
        try await repo.put(location.path, stored)
        let destination = MemoryStorage()
        let error = await #expect(throws: PGVError.self) {
            try await ArchiveGetFileJob(storage: repo, location: location, passphrase: nil, source: "repo1: 15-1")
                .copy(to: destination, name: "RECOVERYXLOG")
        }
        #expect(error?.message.contains("'\(location.path)'") == true)
        #expect(error?.code == .format || error?.code == .checksum)
        #expect(try await destination.listRecursive("").isEmpty)
    }

    @Test func pushedSegmentIsFoundAsADuplicateByTheLookup() async throws {
        let (repo, location) = try await push(.zst, passphrase: nil)
        let repository = StanzaRepository(index: 1, stanza: "main", storage: repo, cipherPass: nil,
                                          logger: Logger(label: "test"))
        let existing = try await WalArchiveLookup(repository: repository, archiveId: "15-1").find(segment: Self.segment)
        #expect(ArchivePushPlan.duplicateDecision(name: Self.segment, existing: existing, sha1: location.sha1!)
                == .skipSameChecksum)
        #expect(ArchivePushPlan.duplicateDecision(name: Self.segment, existing: existing,
                                                  sha1: String(repeating: "e", count: 40)) == .conflict)
    }
}
