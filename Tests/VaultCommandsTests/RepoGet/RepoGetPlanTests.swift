import Testing
import VaultCore
import VaultIO
@testable import VaultCommands

@Suite struct RepoGetPlanTests {
    func plan(_ path: String, encrypted: Bool = true, raw: Bool = false, cipherPass: String? = nil,
              stanza: String? = nil) throws -> RepoGetPlan {
        try RepoGetPlan.decide(path: path, encrypted: encrypted, raw: raw, cipherPass: cipherPass, stanzaOption: stanza)
    }

    @Test func eachFileGetsThePassphraseOfItsParent() throws {
        #expect(try plan("archive/main/archive.info").passphrase == .repository)
        #expect(try plan("backup/main/backup.info.copy").passphrase == .repository)
        #expect(try plan("archive/main/15-1/0000000100000000/000000010000000000000001-ab.lz4").passphrase
            == .archiveInfo(stanza: "main"))
        #expect(try plan("archive/main/15-1/00000002.history").passphrase == .archiveInfo(stanza: "main"))
        #expect(try plan("backup/main/20240101-000000F/backup.manifest").passphrase == .backupInfo(stanza: "main"))
        #expect(try plan("backup/main/backup.history/2024/20240101-000000F.manifest.gz").passphrase
            == .backupInfo(stanza: "main"))
        #expect(try plan("backup/main/20240101-000000F/pg_data/PG_VERSION.gz").passphrase
            == .manifest(stanza: "main", label: "20240101-000000F"))
    }

    @Test func unencryptedRawAndGivenPassphrasesNeedNoInfoFile() throws {
        #expect(try plan("backup/main/backup.info", encrypted: false).passphrase == .notEncrypted)
        #expect(try plan("backup/main/20240101-000000F/pg_data/x", raw: true).passphrase == .notEncrypted)
        #expect(try plan("anything", cipherPass: "secret").passphrase == .given("secret"))
    }

    @Test func anUndeterminedPassphraseOrAnotherStanzaIs032() {
        for (path, stanza, message) in [
            ("backup", nil as String?, "unable to determine cipher passphrase for 'backup'"),
            ("other/main/file", nil, "unable to determine cipher passphrase for 'other/main/file'"),
            ("archive/main/archive.info", "demo", "stanza name 'demo' given in option doesn't match the given path"),
        ] {
            let error = #expect(throws: PGVError.self) { try plan(path, stanza: stanza) }
            #expect(error?.code == .optionInvalidValue)
            #expect(error?.message == message)
        }
    }

    @Test func compressionFollowsTheExtensionAndForSetFilesTheSetsType() throws {
        let wal = try plan("archive/main/15-1/0000000100000000/000000010000000000000001-ab.zst", encrypted: false)
        #expect(wal.setLabel == nil)
        #expect(wal.compression(setCompressType: nil) == .zst)
        #expect(try plan("backup/main/backup.history/2024/x.manifest.gz").compression(setCompressType: nil) == .gz)
        let setFile = try plan("backup/main/20240101-000000F/pg_data/dump.gz", encrypted: false)
        #expect(setFile.setLabel == "20240101-000000F")
        #expect(setFile.compression(setCompressType: .gz) == .gz)
        #expect(setFile.compression(setCompressType: CompressionType.none) == .none)
        #expect(setFile.compression(setCompressType: .lz4) == .none)
        #expect(try plan("backup/main/20240101-000000F/backup.manifest", encrypted: false).setLabel == nil)
        #expect(try plan("backup/main/20240101-000000F/pg_data/x.lz4", raw: true).compression(setCompressType: .lz4)
            == .none)
    }
}
