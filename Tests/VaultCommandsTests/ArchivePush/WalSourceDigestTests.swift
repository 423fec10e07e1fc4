import Foundation
import Testing
import VaultCore
import VaultIO
@testable import VaultCommands

@Suite struct WalSourceDigestTests {
    @Test func hashesTheWholeFileAndKeepsItsHeader() async throws {
        let path = "/tmp/pgvault-digest-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let content: [UInt8] = (0..<(2 << 20) + 17).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try Data(content).write(to: URL(fileURLWithPath: path))
        let digest = try await WalSourceDigest.read(path: path)
        #expect(digest == WalSourceDigest(size: UInt64(content.count), sha1: Digest.sha1Hex(content),
                                          header: Array(content.prefix(40))))
    }

    @Test func missingFileIs055() async throws {
        let error = await #expect(throws: PGVError.self) {
            _ = try await WalSourceDigest.read(path: "/tmp/pgvault-no-such-wal")
        }
        #expect(error?.code == .fileMissing)
        #expect(error?.message == "unable to open missing file '/tmp/pgvault-no-such-wal' for read")
    }
}
