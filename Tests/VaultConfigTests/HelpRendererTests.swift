import Testing
import VaultCore
@testable import VaultConfig

@Suite struct HelpRendererTests {
    let renderer = HelpRenderer()

    @Test func commandListNamesEveryCommand() throws {
        let text = try renderer.render([])
        for name in OptionTable.standard.commandNames {
            #expect(text.contains("    \(name) "), "command \(name)")
        }
        #expect(text.contains("pgvault 0.1.0"))
        #expect(text.contains("Backup a database cluster."))
    }

    @Test func commandHelpListsItsOptionsWithDefaults() throws {
        let text = try renderer.render(["backup"])
        #expect(text.contains("Usage:\n    pgvault [options] backup\n"))
        #expect(text.contains("--stanza"))
        #expect(text.contains("--type"))
        #expect(text.contains("[default=incr]"))
        #expect(text.contains("--compress-type"))
        #expect(text.contains("[default=gz]"))
        #expect(text.contains("--repo1-path"))
        #expect(text.contains("--pg1-path"))
        #expect(text.contains("Repository Options:"))
        #expect(!text.contains("--target "), "restore-only option")
        #expect(!text.contains("--exec-id"), "internal option")
    }

    @Test func restoreHelpShowsItsOwnTypeDefault() throws {
        let text = try renderer.render(["restore"])
        #expect(text.contains("[default=default]"))
        #expect(text.contains("--target-action"))
        #expect(text.contains("--recovery-option"))
    }

    @Test func secureOptionsShowNoDefault() throws {
        let text = try renderer.render(["backup"])
        let line = try #require(text.split(separator: "\n").first { $0.contains("--repo1-cipher-pass") })
        #expect(!line.contains("default="))
        let s3 = try #require(text.split(separator: "\n").first { $0.contains("--repo1-s3-key-secret") })
        #expect(!s3.contains("default="))
    }

    @Test func optionHelpDescribesTheOption() throws {
        let text = try renderer.render(["backup", "compress-type"])
        #expect(text.contains("File compression type."))
        #expect(text.contains("type: string"))
        #expect(text.contains("default: gz"))
        #expect(text.contains("allowed: none, bz2, gz, lz4, zst"))
        let sizeText = try renderer.render(["backup", "repo1-storage-upload-chunk-size"])
        #expect(sizeText.contains("range: 64KiB-1TiB"))
        #expect(sizeText.contains("indexed: repo1-repo256"))
        let secure = try renderer.render(["backup", "repo1-cipher-pass"])
        #expect(secure.contains("secure: yes"))
        #expect(!secure.contains("default:"))
    }

    @Test func unknownCommandOrOptionFails() {
        let command = #expect(throws: PGVError.self) { try renderer.render(["bogus"]) }
        #expect(command?.code == .commandInvalid)
        #expect(command?.message == "invalid command 'bogus'")
        let option = #expect(throws: PGVError.self) { try renderer.render(["info", "delta"]) }
        #expect(option?.code == .optionInvalid)
        #expect(option?.message == "option 'delta' is not valid for command 'info'")
    }

    @Test func versionStrings() {
        #expect(PGVaultVersion.current == "0.1.0")
        #expect(PGVaultVersion.pgBackRestCompatibility == "2.45")
        #expect(PGVaultVersion.banner == "pgvault 0.1.0 (pgBackRest 2.45 compatible)")
    }
}
