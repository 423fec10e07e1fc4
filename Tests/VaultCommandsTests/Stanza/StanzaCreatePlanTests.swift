import Testing
@testable import VaultCommands

@Suite struct StanzaCreatePlanTests {
    typealias Plan = StanzaCreatePlan
    static func presence(_ a: Bool, _ ac: Bool, _ b: Bool, _ bc: Bool) -> Plan.Presence {
        Plan.Presence(archive: a, archiveCopy: ac, backup: b, backupCopy: bc)
    }

    @Test(arguments: [
        // Nothing exists: create when empty, 040 naming what is not empty.
        (presence(false, false, false, false), false, false, Plan.create),
        (presence(false, false, false, false), true, false, Plan.refuseNotEmpty(backupNotEmpty: false, archiveNotEmpty: true)),
        (presence(false, false, false, false), false, true, Plan.refuseNotEmpty(backupNotEmpty: true, archiveNotEmpty: false)),
        (presence(false, false, false, false), true, true, Plan.refuseNotEmpty(backupNotEmpty: true, archiveNotEmpty: true)),
        // Both exist: validate, restoring whichever half of a pair is missing (directory contents do not matter).
        (presence(true, true, true, true), true, true, Plan.validate(restore: [])),
        (presence(true, false, true, true), true, true, Plan.validate(restore: [.init(file: .archive, copyMissing: true)])),
        (presence(false, true, true, false), true, true,
         Plan.validate(restore: [.init(file: .archive, copyMissing: false), .init(file: .backup, copyMissing: true)])),
        (presence(true, true, false, true), true, true, Plan.validate(restore: [.init(file: .backup, copyMissing: false)])),
        // Only one side exists: 055.
        (presence(true, true, false, false), true, true, Plan.refuseOneMissing(archiveExists: true)),
        (presence(false, true, false, false), true, false, Plan.refuseOneMissing(archiveExists: true)),
        (presence(false, false, true, false), false, true, Plan.refuseOneMissing(archiveExists: false)),
        (presence(false, false, false, true), false, true, Plan.refuseOneMissing(archiveExists: false)),
        // Only one side exists and nothing else does: what a killed stanza-create leaves, completed.
        (presence(true, false, false, false), false, false,
         Plan.complete(missing: .backup, restore: [.init(file: .archive, copyMissing: true)])),
        (presence(true, true, false, false), false, false, Plan.complete(missing: .backup, restore: [])),
        (presence(false, true, false, false), false, false,
         Plan.complete(missing: .backup, restore: [.init(file: .archive, copyMissing: false)])),
        (presence(false, false, true, true), false, false, Plan.complete(missing: .archive, restore: [])),
    ])
    func decisionTable(presence: Plan.Presence, archiveNotEmpty: Bool, backupNotEmpty: Bool, expected: Plan) {
        #expect(Plan.decide(presence, archiveNotEmpty: archiveNotEmpty, backupNotEmpty: backupNotEmpty) == expected)
    }

    @Test func notEmptyMessagesMatchPgBackRest() {
        #expect(Plan.notEmptyMessage(backupNotEmpty: true, archiveNotEmpty: true) == "backup directory and/or archive directory not empty")
        #expect(Plan.notEmptyMessage(backupNotEmpty: true, archiveNotEmpty: false) == "backup directory not empty")
        #expect(Plan.notEmptyMessage(backupNotEmpty: false, archiveNotEmpty: true) == "archive directory not empty")
    }

    @Test func infoFilesTheirCopiesAndLeftoverTemporaryFilesAreNotMore() {
        #expect(!Plan.holdsMore([], than: .archive))
        #expect(!Plan.holdsMore(["archive.info", "archive.info.copy"], than: .archive))
        #expect(!Plan.holdsMore(["archive.info.pgbackrest.tmp", "archive.info.copy.pgbackrest.tmp"], than: .archive))
        #expect(!Plan.holdsMore(["backup.info.pgbackrest.tmp"], than: .backup))
    }

    @Test func walBackupSetsAndTheOtherInfoFileAreMore() {
        #expect(Plan.holdsMore(["archive.info", "15-1"], than: .archive))
        #expect(Plan.holdsMore(["backup.info", "20260101-000000F"], than: .backup))
        #expect(Plan.holdsMore(["backup.info"], than: .archive))
        #expect(Plan.holdsMore(["backup.history.pgbackrest.tmp"], than: .backup))
    }
}
