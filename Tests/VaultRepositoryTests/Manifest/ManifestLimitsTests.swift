import Foundation
import Testing
import VaultCore
@testable import VaultRepository

/// Absurd numbers in a manifest or backup.info behind a valid checksum (a hostile repository re-signs what it edits)
/// are FormatError (029) at load, never a trap later: each case here was found by, or guards a path of, the fuzz
/// tests and the hostile-input scenario.
@Suite struct ManifestLimitsTests {
    /// The fixture with `raw` set for `key`, re-rendered so the checksum matches.
    static func resigned(_ text: String, _ section: String, _ key: String, _ raw: String) throws -> [UInt8] {
        var ini = try InfoIni.parse(Array(text.utf8))
        ini.setRaw(section, key, raw)
        return ini.render(version: ini.writerVersion ?? "2.45")
    }

    static func fileEntry(_ fields: String) -> String {
        #"{"checksum":"8d1e6b8bf7ee6a0e2e8cfd7b2b6b34e8e8a8c7b7","reference":"20240115-101500F","#
            + fields + "}"
    }

    static func manifest(file fields: String) throws -> [UInt8] {
        try resigned(IncrManifestFixture.text, "target:file", "pg_data/PG_VERSION", fileEntry(fields))
    }

    @Test(arguments: [
        #""size":9223372036854775808,"timestamp":1"#,   // 2^63
        #""size":18446744073709551615,"timestamp":1"#,  // 2^64 - 1
        #""size":1125899906842625,"timestamp":1"#,      // 1 PiB + 1
        #""size":-1,"timestamp":1"#,
        #""size":"3","timestamp":1"#,
        #""size":null,"timestamp":1"#,
        #""repo-size":9223372036854775808,"size":3,"timestamp":1"#,
        #""bni":1,"bno":9223372036854775808,"size":3,"timestamp":1"#,  // would trap converting to off_t
        #""bi":18446744073709551615,"size":3,"timestamp":1"#,
        #""size":3,"timestamp":9223372036854775807"#,
        #""size":3,"timestamp":-9223372036854775808"#,
    ])
    func absurdFileNumbersAreFormatErrors(_ fields: String) throws {
        let bytes = try Self.manifest(file: fields)
        #expect(throws: PGVError.self) { _ = try Manifest.parse(bytes) }
        do {
            _ = try Manifest.parse(bytes)
        } catch let error as PGVError {
            #expect(error.code == .format, "\(error.message)")
            #expect(error.message.contains("pg_data/PG_VERSION") || error.message.contains("target:file"))
        }
    }

    @Test func numbersJsonCannotHoldAreJsonFormatErrors() throws {
        for fields in [#""size":18446744073709551616,"timestamp":1"#, #""size":3.0,"timestamp":1"#, #""size":1e3,"timestamp":1"#] {
            #expect(throws: PGVError.self) { _ = try Manifest.parse(try Self.manifest(file: fields)) }
            do { _ = try Manifest.parse(try Self.manifest(file: fields)) } catch let error as PGVError {
                #expect(error.code == .jsonFormat)
            }
        }
    }

    @Test func aTerabyteFileLoads() throws {
        // A large size alone is plausible; restore then fails with a checksum error when the bytes run out.
        let manifest = try Manifest.parse(try Self.manifest(file: #""size":1099511627776,"timestamp":1"#))
        #expect(manifest.file(named: "pg_data/PG_VERSION")?.size == 1 << 40)
    }

    @Test func aManifestWhoseSizesSumPast1EiBIsRefused() throws {
        // Each file under the 1 PiB limit, the sum over 2^60: summing it (restore progress, backup.info sizes)
        // would otherwise overflow.
        var ini = try InfoIni.parse(Array(IncrManifestFixture.text.utf8))
        for index in 0..<1025 {
            ini.setRaw("target:file", "pg_data/base/1/\(100000 + index)",
                       #"{"checksum":"8d1e6b8bf7ee6a0e2e8cfd7b2b6b34e8e8a8c7b7","size":1125899906842624,"timestamp":1}"#)
        }
        #expect(throws: PGVError(.format, "total size of manifest exceeds 1152921504606846976 bytes")) {
            _ = try Manifest.parse(ini.render(version: "2.45"))
        }
    }

    @Test func absurdBackupTimestampsAreRefused() throws {
        for (key, value) in [("backup-timestamp-start", "-9223372036854775808"), ("backup-timestamp-stop", "9223372036854775807"),
                             ("backup-timestamp-copy-start", "253402300800")] {
            let bytes = try Self.resigned(IncrManifestFixture.text, "backup", key, value)
            #expect(throws: PGVError(.format, "invalid \(key) \(value) in section 'backup'")) { _ = try Manifest.parse(bytes) }
        }
    }

    @Test func absurdBackupInfoNumbersAreRefused() throws {
        let text = PgBackRestInfoFixtures.backupInfo
        let ini = try InfoIni.parse(Array(text.utf8))
        let label = try #require(ini.entries(in: "backup:current").first)
        for (from, to) in [("\"backup-timestamp-start\":1795683154", "\"backup-timestamp-start\":-9223372036854775808"),
                           ("\"backup-timestamp-stop\":1795683155", "\"backup-timestamp-stop\":9223372036854775807"),
                           ("\"backup-info-size\":40040805", "\"backup-info-size\":18446744073709551615")] {
            let raw = label.raw.replacingOccurrences(of: from, with: to)
            #expect(raw != label.raw)
            let bytes = try Self.resigned(text, "backup:current", label.key, raw)
            #expect(throws: PGVError.self) { _ = try BackupInfo.parse(bytes) }
            do { _ = try BackupInfo.parse(bytes) } catch let error as PGVError {
                #expect(error.code == .format, "\(error.message)")
            }
        }
    }

    @Test func truncatedManifestsAreFormatOrChecksumErrors() {
        let bytes = Array(IncrManifestFixture.text.utf8)
        for length in stride(from: 0, to: bytes.count, by: 37) {
            do {
                _ = try Manifest.parse(Array(bytes[..<length]))
                Issue.record("a manifest truncated to \(length) bytes loaded")
            } catch let error as PGVError {
                #expect([ErrorCode.format, .checksum, .jsonFormat].contains(error.code))
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}

extension ManifestLimitsTests {
    @Test func setuidAndSetgidFilesAreRefused() throws {
        // Restored as root, a file takes the manifest's owner: a setuid root executable could be planted in PGDATA.
        for mode in ["4755", "2755", "6777"] {
            let bytes = try Self.manifest(file: #""mode":"\#(mode)","size":3,"timestamp":1"#)
            #expect(throws: PGVError(.format, "setuid or setgid mode \(mode) of 'pg_data/PG_VERSION' in section 'target:file'")) {
                _ = try Manifest.parse(bytes)
            }
        }
        let defaults = try Self.resigned(IncrManifestFixture.text, "target:file:default", "mode", #""4750""#)
        #expect(throws: PGVError.self) { _ = try Manifest.parse(defaults) }
        _ = try Manifest.parse(try Self.manifest(file: #""mode":"1640","size":3,"timestamp":1"#))
    }
}
