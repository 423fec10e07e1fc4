import Testing
@testable import VaultCommands

@Suite struct VerifyStatusFileTests {
    @Test func rendersAndParsesBack() throws {
        let status = VerifyStatusFile(ok: false, errorCount: 3, timestamp: 1_795_686_000)
        #expect(status.rendered == #"{"errors":3,"status":"error","timestamp":1795686000}"# + "\n")
        let parsed = try #require(VerifyStatusFile(parsing: Array(status.rendered.utf8)))
        #expect(parsed == status)
    }

    @Test func damagedContentIsNoStatus() {
        #expect(VerifyStatusFile(parsing: Array("{\"status\":".utf8)) == nil)
        #expect(VerifyStatusFile(parsing: Array("{\"errors\":0}".utf8)) == nil)
    }

    @Test func livesBesideBackupInfo() {
        #expect(VerifyStatusFile.path(.init(stanza: "main")) == "backup/main/pgvault.verify.json")
    }
}
