import Testing
@testable import VaultCommands

@Suite struct VerifyTextRendererTests {
    static func clean() -> VerifyReport {
        var report = VerifyReport(stanza: "main", repo: 1)
        var archive = VerifyReport.ArchiveResult(archiveId: "15-1")
        archive.totalChecked = 5
        archive.totalValid = 5
        report.archives = [archive]
        var backup = VerifyReport.BackupResult(label: "20250101-010101F")
        backup.totalChecked = 980
        backup.totalValid = 980
        report.backups = [backup]
        return report
    }

    @Test func aCleanStanzaPrintsNothingUnlessVerbose() {
        #expect(VerifyTextRenderer.render(Self.clean(), verbose: false) == "")
        #expect(VerifyTextRenderer.render(Self.clean(), verbose: true) == """
            stanza: main
            status: ok
              archiveId: 15-1, total WAL checked: 5, total valid WAL: 5
                missing: 0, checksum invalid: 0, size invalid: 0, other: 0
              backup: 20250101-010101F, status: valid, total files checked: 980, total valid files: 980
                missing: 0, checksum invalid: 0, size invalid: 0, other: 0
            """)
    }

    @Test func errorsListOnlyTheBadEntriesWithTheirFiles() {
        var report = Self.clean()
        report.archives[0].totalValid = 4
        report.archives[0].invalidFiles = [.init(path: "archive/main/15-1/0000000100000000/x.lz4", reason: .checksum)]
        report.archives[0].gaps = [.init(start: "000000010000000000000003", stop: "000000010000000000000004")]
        var incr = VerifyReport.BackupResult(label: "20250101-010101F_20250102-010101I")
        incr.status = .invalid
        incr.totalChecked = 980
        incr.totalValid = 979
        incr.invalidFiles = [.init(path: "backup/main/20250101-010101F/pg_data/base/1/1259.lz4", reason: .checksum,
                                   detail: "checksum a, expected b")]
        incr.manifestProblems = [.init(path: "backup/main/x/backup.manifest.copy", reason: .other)]
        incr.missingWal = [.init(start: "000000010000000000000003", stop: "000000010000000000000003")]
        report.backups.append(incr)
        #expect(VerifyTextRenderer.render(report, verbose: false) == """
            stanza: main
            status: error
              archiveId: 15-1, total WAL checked: 5, total valid WAL: 4
                checksum invalid: 1
                wal gap: 000000010000000000000003 - 000000010000000000000004
                invalid checksum 'archive/main/15-1/0000000100000000/x.lz4'
              backup: 20250101-010101F_20250102-010101I, status: invalid, total files checked: 980, total valid files: 979
                checksum invalid: 1
                manifest: invalid result 'backup/main/x/backup.manifest.copy'
                invalid checksum 'backup/main/20250101-010101F/pg_data/base/1/1259.lz4': checksum a, expected b
                wal missing: 000000010000000000000003 - 000000010000000000000003
            """)
    }

    @Test func unusableInfoFilesAreNamed() {
        var report = VerifyReport(stanza: "main", repo: 1)
        report.problems = ["No usable archive.info file"]
        report.infoFiles = [.init(path: "archive/main/archive.info", reason: .missing),
                            .init(path: "archive/main/archive.info.copy", reason: .checksum)]
        #expect(VerifyTextRenderer.render(report, verbose: false) == """
            stanza: main
            status: error
              No usable archive.info file
              file missing 'archive/main/archive.info'
              invalid checksum 'archive/main/archive.info.copy'
            """)
    }
}
