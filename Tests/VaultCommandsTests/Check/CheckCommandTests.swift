import Testing
import VaultCore
@testable import VaultCommands

@Suite struct CheckCommandTests {
    @Test(arguments: [
        "/usr/bin/pgvault --stanza=main archive-push %p",
        "pgbackrest --stanza=main archive-push %p",
    ])
    func archiveCommandCallingEitherToolIsAccepted(command: String) throws {
        try CheckCommand.checkArchiveSettings(mode: "on", command: command, modeCheck: true)
    }

    @Test func archiveModeOffIs087() {
        #expect(throws: PGVError(.archiveDisabled, "archive_mode must be enabled")) {
            try CheckCommand.checkArchiveSettings(mode: "off", command: "pgvault archive-push %p", modeCheck: true)
        }
    }

    @Test func archiveModeAlwaysIs067UnlessTheCheckIsOff() throws {
        let error = #expect(throws: PGVError.self) {
            try CheckCommand.checkArchiveSettings(mode: "always", command: "pgvault archive-push %p", modeCheck: true)
        }
        #expect(error?.code.rawValue == 67)
        try CheckCommand.checkArchiveSettings(mode: "always", command: "pgvault archive-push %p", modeCheck: false)
    }

    @Test func archiveCommandCallingNeitherIs068() {
        #expect(throws: PGVError(.archiveCommandInvalid, "archive_command 'cp %p /mnt/wal/%f' must contain pgvault or pgbackrest")) {
            try CheckCommand.checkArchiveSettings(mode: "on", command: "cp %p /mnt/wal/%f", modeCheck: true)
        }
    }
}
