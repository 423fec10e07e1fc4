import Testing
import VaultCore
@testable import VaultRepository

/// `archive.info` loading on mutated files: plaintext, re-signed (hostile values behind a valid checksum) and
/// encrypted (mutated ciphertext through `InfoFileStore.decrypt`).
struct FuzzArchiveInfoTests {
    @Test func fuzzArchiveInfoLoad() {
        let text = PgBackRestInfoFixtures.archiveInfo
        let run = FuzzLoop.run("archive.info", generate: { FuzzDocuments.input(text, &$0) }) { bytes in
            _ = try ArchiveInfo.parse(bytes)
        }
        #expect(run.passed == run.iterations)
    }

    @Test func fuzzArchiveInfoEncrypted() throws {
        let sealed = try InfoFileStore.encrypt(Array(PgBackRestInfoFixtures.archiveInfo.utf8), passphrase: "fuzz-pass")
        let run = FuzzLoop.run("archive.info encrypted", seeds: [sealed]) { bytes in
            _ = try ArchiveInfo.parse(try InfoFileStore.decrypt(bytes, passphrase: "fuzz-pass"))
        }
        #expect(run.passed == run.iterations)
    }
}
