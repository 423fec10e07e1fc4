import Testing
import VaultCore
@testable import VaultRepository

@Suite struct BackupInfoTests {
    static func sample() -> BackupInfo {
        var info = BackupInfo(systemId: 7712362098826484028, version: "15", controlVersion: 1300,
                              catalogVersion: 202209061, cipherPass: "pass")
        var full = BackupInfo.Entry(label: "20240115-101500F", type: .full, dbId: 1)
        full.archiveStart = "000000010000000000000002"
        full.archiveStop = "000000010000000000000002"
        full.error = false
        full.size = 100
        full.sizeDelta = 100
        full.repoSize = 40
        full.repoSizeDelta = 40
        full.lsnStart = "0/2000028"
        full.lsnStop = "0/2000100"
        full.timestampStart = 1705313700
        full.timestampStop = 1705313710
        full.annotation = ["reason": "before upgrade"]
        var offline = BackupInfo.Entry(label: "20240115-101500F_20240116-101500I", type: .incr, dbId: 1)
        offline.prior = "20240115-101500F"
        offline.references = ["20240115-101500F"]
        offline.optionOnline = false
        offline.optionArchiveCheck = false
        info.add(offline)
        info.add(full)
        return info
    }

    @Test func rendersEntriesWithSortedKeysAndNullArchiveForOffline() {
        let text = String(decoding: Self.sample().render(), as: UTF8.self)
        let expectedFull = #"20240115-101500F={"backrest-format":5,"backrest-version":"2.45","backup-annotation":{"reason":"before upgrade"},"backup-archive-start":"000000010000000000000002","backup-archive-stop":"000000010000000000000002","backup-error":false,"backup-info-repo-size":40,"backup-info-repo-size-delta":40,"backup-info-size":100,"backup-info-size-delta":100,"backup-lsn-start":"0/2000028","backup-lsn-stop":"0/2000100","backup-timestamp-start":1705313700,"backup-timestamp-stop":1705313710,"backup-type":"full","db-id":1,"option-archive-check":true,"option-archive-copy":false,"option-backup-standby":false,"option-checksum-page":false,"option-compress":true,"option-hardlink":false,"option-online":true}"#
        let expectedIncr = #"20240115-101500F_20240116-101500I={"backrest-format":5,"backrest-version":"2.45","backup-archive-start":null,"backup-archive-stop":null,"backup-info-repo-size":0,"backup-info-repo-size-delta":0,"backup-info-size":0,"backup-info-size-delta":0,"backup-prior":"20240115-101500F","backup-reference":["20240115-101500F"],"backup-timestamp-start":0,"backup-timestamp-stop":0,"backup-type":"incr","db-id":1,"option-archive-check":false,"option-archive-copy":false,"option-backup-standby":false,"option-checksum-page":false,"option-compress":true,"option-hardlink":false,"option-online":false}"#
        #expect(text.contains("[backup:current]\n" + expectedFull + "\n" + expectedIncr + "\n\n[cipher]\ncipher-pass=\"pass\"\n\n[db]\ndb-catalog-version=202209061\ndb-control-version=1300\ndb-id=1\ndb-system-id=7712362098826484028\ndb-version=\"15\"\n\n[db:history]\n1={\"db-catalog-version\":202209061,\"db-control-version\":1300,\"db-system-id\":7712362098826484028,\"db-version\":\"15\"}\n\n[backrest]\n"))
    }

    @Test func roundTripIsByteIdentical() throws {
        let bytes = Self.sample().render()
        let parsed = try BackupInfo.parse(bytes)
        #expect(parsed == Self.sample())
        #expect(parsed.render() == bytes)
        #expect(parsed.labels == ["20240115-101500F", "20240115-101500F_20240116-101500I"])
        #expect(parsed.backup("20240115-101500F_20240116-101500I")?.archiveStart == nil)
    }

    @Test func entryFromManifestSumsSizesAndDropsOwnLabel() throws {
        let manifest = try Manifest.parse(Array(IncrManifestFixture.text.utf8))
        let entry = BackupInfo.Entry(manifest: manifest)
        #expect(entry.label == "20240115-101500F_20240116-101500I")
        #expect(entry.type == .incr)
        #expect(entry.size == 3 + 230 + 8192 + 512 + 10 + 0 + 16384)
        #expect(entry.repoSize == 23 + 200 + 1000 + 512 + 10 + 0 + 16384)
        #expect(entry.sizeDelta == entry.size - 3)
        #expect(entry.repoSizeDelta == entry.repoSize - 23)
        #expect(entry.references == ["20240115-101500F"])
        #expect(entry.prior == "20240115-101500F")
        #expect(entry.error == true)
        #expect(entry.optionChecksumPage && entry.optionCompress && entry.optionOnline)
        #expect(entry.timestampStop == 1705400110)
    }

    @Test func invalidLabelIsRejected() throws {
        var ini = Self.sample().ini()
        ini.setRaw("backup:current", "../../etc", try #require(ini.raw("backup:current", "20240115-101500F")))
        #expect(throws: PGVError(.format, "invalid backup label '../../etc' in section 'backup:current'")) {
            try BackupInfo.parse(ini.render())
        }
    }
}
