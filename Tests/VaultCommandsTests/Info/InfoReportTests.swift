import Testing
import VaultRepository
@testable import VaultCommands

/// The expected strings are the output of real `pgbackrest info` (2.45) on a repository holding these three backups
/// (encrypted, lz4); the facts below are what that repository's backup.info, archive.info and WAL listing hold.
@Suite struct InfoReportTests {
    static let systemId: UInt64 = 7_712_403_663_838_570_606
    static let full = "20261126-090516F"
    static let diff = "20261126-090516F_20261126-090525D"
    static let incr = "20261126-090516F_20261126-090529I"

    static func entry(_ label: String, _ type: BackupType, start: Int64, stop: Int64, wal: (String, String),
                      lsn: (String, String), size: UInt64, delta: UInt64, repoSize: UInt64, repoDelta: UInt64,
                      prior: String?, references: [String]?) -> BackupInfo.Entry {
        var entry = BackupInfo.Entry(label: label, type: type, dbId: 1)
        entry.timestampStart = start
        entry.timestampStop = stop
        entry.archiveStart = wal.0
        entry.archiveStop = wal.1
        entry.lsnStart = lsn.0
        entry.lsnStop = lsn.1
        entry.size = size
        entry.sizeDelta = delta
        entry.repoSize = repoSize
        entry.repoSizeDelta = repoDelta
        entry.prior = prior
        entry.references = references
        entry.error = false
        return entry
    }

    static func facts(manifest: Manifest? = nil, lockHeld: Bool = false) -> InfoStanzaFacts {
        var backupInfo = BackupInfo(systemId: systemId, version: "15", controlVersion: 1300, catalogVersion: 202_209_061,
                                    cipherPass: "x")
        backupInfo.add(entry(full, .full, start: 1_795_683_916, stop: 1_795_683_924,
                             wal: ("000000010000000000000002", "000000010000000000000003"), lsn: ("0/2000028", "0/3000050"),
                             size: 23_213_899, delta: 23_213_899, repoSize: 4_578_464, repoDelta: 4_578_464,
                             prior: nil, references: nil))
        var diffEntry = entry(diff, .diff, start: 1_795_683_925, stop: 1_795_683_928,
                              wal: ("000000010000000000000005", "000000010000000000000005"), lsn: ("0/5000028", "0/5000138"),
                              size: 23_582_539, delta: 1_851_658, repoSize: 4_664_688, repoDelta: 361_904,
                              prior: full, references: [full])
        var annotation = JsonObject()
        annotation["a"] = "b"
        annotation["k"] = "v"
        diffEntry.annotation = annotation
        backupInfo.add(diffEntry)
        backupInfo.add(entry(incr, .incr, start: 1_795_683_929, stop: 1_795_683_931,
                             wal: ("000000010000000000000006", "000000010000000000000007"), lsn: ("0/6000028", "0/7000050"),
                             size: 23_582_539, delta: 8458, repoSize: 4_664_688, repoDelta: 560,
                             prior: diff, references: [full, diff]))
        let repo = InfoStanzaFacts.Repo(
            key: 1, cipher: "aes-256-cbc", backupInfo: backupInfo,
            archiveInfo: ArchiveInfo(systemId: systemId, version: "15", cipherPass: "y"), manifest: manifest,
            archiveRanges: ["15-1": .init(min: "000000010000000000000001", max: "000000010000000000000007")])
        return InfoStanzaFacts(name: "main", repos: [repo], current: .init(version: "15", systemId: systemId),
                               backupLockHeld: lockHeld, percentComplete: lockHeld ? 4321 : nil)
    }

    static func diffManifest() -> Manifest {
        var backup = Manifest.Backup(label: diff, type: .diff, prior: full, references: [full, diff],
                                     timestampStart: 1_795_683_925, timestampCopyStart: 1_795_683_926)
        backup.timestampStop = 1_795_683_928
        var manifest = Manifest(backup: backup, db: PgHistory(id: 1, systemId: systemId, version: "15",
                                                              controlVersion: 1300, catalogVersion: 202_209_061),
                                options: Manifest.Options())
        manifest.databases = [.init(name: "postgres", id: 5, lastSystemId: 4), .init(name: "template0", id: 4, lastSystemId: 4),
                              .init(name: "template1", id: 1, lastSystemId: 4)]
        return manifest
    }

    func text(_ facts: InfoStanzaFacts, set: String? = nil) -> String {
        let document = InfoReport(set: set, json: false).build([facts])
        return InfoTextRenderer(timestamp: InfoTextRenderer.utcTimestamp)
            .render(document, current: ["main": facts.current!], set: set)
    }

    @Test func jsonEqualsPgBackRestByteForByte() {
        #expect(InfoReport(json: true).build([Self.facts()]).rendered == INFO_JSON)
    }

    @Test func textEqualsPgBackRestByteForByte() {
        #expect(text(Self.facts()) == INFO_TEXT)
    }

    @Test func setJsonAddsManifestDetailWithoutTemplates() {
        let document = InfoReport(set: Self.diff, json: true).build([Self.facts(manifest: Self.diffManifest())])
        #expect(document.rendered == SET_JSON)
    }

    @Test func setTextShowsLsnDatabasesAndAnnotations() {
        #expect(text(Self.facts(manifest: Self.diffManifest()), set: Self.diff) == SET_TEXT)
    }

    @Test func typeFiltersBackups() {
        let document = InfoReport(type: .incr, json: true).build([Self.facts()])
        let labels = document.arrayValue?.first?.objectValue?["backup"]?.arrayValue?.compactMap { $0.objectValue?["label"]?.stringValue }
        #expect(labels == [Self.incr])
    }

    @Test func heldBackupLockShowsRunningWithPercentInTextOnly() {
        #expect(text(Self.facts(lockHeld: true)).hasPrefix("stanza: main\n    status: ok (backup/expire running - 43.21% complete)\n"))
        let json = InfoReport(json: true).build([Self.facts(lockHeld: true)]).rendered
        #expect(json.contains("\"lock\":{\"backup\":{\"held\":true}}"))
    }

    @Test func missingStanzaAndNoBackupsHaveTheirCodes() {
        let missing = InfoStanzaFacts(name: "nope", repos: [.init(key: 1, cipher: "none", status: 1)])
        #expect(InfoReport(json: true).build([missing]).rendered
            == #"[{"archive":[],"backup":[],"cipher":"none","db":[],"name":"nope","repo":[{"cipher":"none","key":1,"status":{"code":1,"message":"missing stanza path"}}],"status":{"code":1,"lock":{"backup":{"held":false}},"message":"missing stanza path"}}]"#)
        #expect(InfoTextRenderer().render(InfoReport(json: false).build([missing]), current: [:], set: nil)
            == "stanza: nope\n    status: error (missing stanza path)\n")
        let empty = InfoStanzaFacts(
            name: "main",
            repos: [.init(key: 1, cipher: "none", backupInfo: BackupInfo(systemId: 9, version: "15", controlVersion: 1300,
                                                                         catalogVersion: 1),
                          archiveInfo: ArchiveInfo(systemId: 9, version: "15"))],
            current: .init(version: "15", systemId: 9))
        #expect(text(empty) == "stanza: main\n    status: error (no valid backups)\n    cipher: none\n\n    db (current)\n"
            + "        wal archive min/max (15): none present\n")
    }

    @Test func twoRepositoriesWithDifferentStatusAreMixed() {
        var facts = Self.facts()
        facts.repos.append(.init(key: 2, cipher: "none", status: 99, error: "[CryptoError] bad\nHINT: use option --stanza"))
        let rendered = text(facts)
        #expect(rendered.hasPrefix("stanza: main\n    status: mixed\n        repo1: ok\n        repo2: error (other)\n"
            + "               [CryptoError] bad\n               HINT: use option --stanza\n    cipher: mixed\n"
            + "        repo1: aes-256-cbc\n        repo2: none\n"))
    }

    @Test func noStanzasSaysSo() {
        #expect(InfoTextRenderer().render(.array([]), current: [:], set: nil) == "No stanzas exist in the repository.\n")
    }
}

private let INFO_JSON = #"""
[{"archive":[{"database":{"id":1,"repo-key":1},"id":"15-1","max":"000000010000000000000007","min":"000000010000000000000001"}],"backup":[{"archive":{"start":"000000010000000000000002","stop":"000000010000000000000003"},"backrest":{"format":5,"version":"2.45"},"database":{"id":1,"repo-key":1},"error":false,"info":{"delta":23213899,"repository":{"delta":4578464,"size":4578464},"size":23213899},"label":"20261126-090516F","lsn":{"start":"0/2000028","stop":"0/3000050"},"prior":null,"reference":null,"timestamp":{"start":1795683916,"stop":1795683924},"type":"full"},{"annotation":{"a":"b","k":"v"},"archive":{"start":"000000010000000000000005","stop":"000000010000000000000005"},"backrest":{"format":5,"version":"2.45"},"database":{"id":1,"repo-key":1},"error":false,"info":{"delta":1851658,"repository":{"delta":361904,"size":4664688},"size":23582539},"label":"20261126-090516F_20261126-090525D","lsn":{"start":"0/5000028","stop":"0/5000138"},"prior":"20261126-090516F","reference":["20261126-090516F"],"timestamp":{"start":1795683925,"stop":1795683928},"type":"diff"},{"archive":{"start":"000000010000000000000006","stop":"000000010000000000000007"},"backrest":{"format":5,"version":"2.45"},"database":{"id":1,"repo-key":1},"error":false,"info":{"delta":8458,"repository":{"delta":560,"size":4664688},"size":23582539},"label":"20261126-090516F_20261126-090529I","lsn":{"start":"0/6000028","stop":"0/7000050"},"prior":"20261126-090516F_20261126-090525D","reference":["20261126-090516F","20261126-090516F_20261126-090525D"],"timestamp":{"start":1795683929,"stop":1795683931},"type":"incr"}],"cipher":"aes-256-cbc","db":[{"id":1,"repo-key":1,"system-id":7712403663838570606,"version":"15"}],"name":"main","repo":[{"cipher":"aes-256-cbc","key":1,"status":{"code":0,"message":"ok"}}],"status":{"code":0,"lock":{"backup":{"held":false}},"message":"ok"}}]
"""#

private let SET_JSON = #"""
[{"archive":[{"database":{"id":1,"repo-key":1},"id":"15-1","max":"000000010000000000000007","min":"000000010000000000000001"}],"backup":[{"annotation":{"a":"b","k":"v"},"archive":{"start":"000000010000000000000005","stop":"000000010000000000000005"},"backrest":{"format":5,"version":"2.45"},"database":{"id":1,"repo-key":1},"database-ref":[{"name":"postgres","oid":5}],"error":false,"info":{"delta":1851658,"repository":{"delta":361904,"size":4664688},"size":23582539},"label":"20261126-090516F_20261126-090525D","link":null,"lsn":{"start":"0/5000028","stop":"0/5000138"},"prior":"20261126-090516F","reference":["20261126-090516F"],"tablespace":null,"timestamp":{"start":1795683925,"stop":1795683928},"type":"diff"}],"cipher":"aes-256-cbc","db":[{"id":1,"repo-key":1,"system-id":7712403663838570606,"version":"15"}],"name":"main","repo":[{"cipher":"aes-256-cbc","key":1,"status":{"code":0,"message":"ok"}}],"status":{"code":0,"lock":{"backup":{"held":false}},"message":"ok"}}]
"""#

private let INFO_TEXT = #"""
stanza: main
    status: ok
    cipher: aes-256-cbc

    db (current)
        wal archive min/max (15): 000000010000000000000001/000000010000000000000007

        full backup: 20261126-090516F
            timestamp start/stop: 2026-11-26 09:05:16 / 2026-11-26 09:05:24
            wal start/stop: 000000010000000000000002 / 000000010000000000000003
            database size: 22.1MB, database backup size: 22.1MB
            repo1: backup set size: 4.4MB, backup size: 4.4MB

        diff backup: 20261126-090516F_20261126-090525D
            timestamp start/stop: 2026-11-26 09:05:25 / 2026-11-26 09:05:28
            wal start/stop: 000000010000000000000005 / 000000010000000000000005
            database size: 22.5MB, database backup size: 1.8MB
            repo1: backup set size: 4.4MB, backup size: 353.4KB
            backup reference list: 20261126-090516F

        incr backup: 20261126-090516F_20261126-090529I
            timestamp start/stop: 2026-11-26 09:05:29 / 2026-11-26 09:05:31
            wal start/stop: 000000010000000000000006 / 000000010000000000000007
            database size: 22.5MB, database backup size: 8.3KB
            repo1: backup set size: 4.4MB, backup size: 560B
            backup reference list: 20261126-090516F, 20261126-090516F_20261126-090525D

"""#

private let SET_TEXT = #"""
stanza: main
    status: ok
    cipher: aes-256-cbc

    db (current)
        wal archive min/max (15): 000000010000000000000001/000000010000000000000007

        diff backup: 20261126-090516F_20261126-090525D
            timestamp start/stop: 2026-11-26 09:05:25 / 2026-11-26 09:05:28
            wal start/stop: 000000010000000000000005 / 000000010000000000000005
            lsn start/stop: 0/5000028 / 0/5000138
            database size: 22.5MB, database backup size: 1.8MB
            repo1: backup set size: 4.4MB, backup size: 353.4KB
            backup reference list: 20261126-090516F
            database list: postgres (5)
            annotation(s)
                a: b
                k: v

"""#
