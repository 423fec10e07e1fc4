import Testing
@testable import VaultRepository

@Suite struct CipherPassphrasesTests {
    @Test func generatedSubPassphraseIs64Base64Characters() {
        let first = CipherPassphrases.generate()
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        #expect(first.count == 64 && first.allSatisfy(alphabet.contains))
        #expect(first != CipherPassphrases.generate())
    }

    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")])
    func base64MatchesRfc4648Vectors(input: String, expected: String) {
        #expect(CipherPassphrases.base64(Array(input.utf8)) == expected)
    }

    @Test func hierarchyPicksThePassphraseOfTheParentDocument() throws {
        let archive = ArchiveInfo(systemId: 1, version: "15", cipherPass: "wal-pass")
        let backup = BackupInfo(systemId: 1, version: "15", controlVersion: 1300, catalogVersion: 1, cipherPass: "manifest-pass")
        let manifest = try Manifest.parse(Array(IncrManifestFixture.text.utf8))
        #expect(CipherPassphrases.forInfoFiles(repoPassphrase: "user") == "user")
        #expect(CipherPassphrases.forArchive(archive) == "wal-pass")
        #expect(CipherPassphrases.forManifests(backup) == "manifest-pass")
        #expect(CipherPassphrases.forBackupData(manifest) == "c0mpl3x/pass+word==")
    }
}
