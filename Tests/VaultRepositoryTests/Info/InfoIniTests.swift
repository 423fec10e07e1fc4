import Testing
import VaultCore
@testable import VaultRepository

@Suite struct InfoIniTests {
    static let archiveInfoGolden = """
        [backrest]
        backrest-format=5
        backrest-version="2.45"

        [db]
        db-id=1
        db-system-id=7712362098826484028
        db-version="15"

        [db:history]
        1={"db-id":7712362098826484028,"db-version":"15"}

        [backrest]
        backrest-checksum="488abde4acc62e5cbe57be1d6f138216bdc9e190"

        """

    @Test func checksumVectorFromPgBackRestUnitTest() {
        var hash = InfoChecksum()
        hash.add(section: "backrest", key: "backrest-format", raw: "5")
        #expect(String(decoding: hash.hashInput, as: UTF8.self) == #"{"backrest":{"backrest-format":5}}"#)
        #expect(hash.finish() == "a3765a8c2c1e5d35274a0b0ce118f4031faff0bd")
    }

    @Test func checksumVectorOfArchiveInfo() throws {
        let ini = try InfoIni.parse(Array(Self.archiveInfoGolden.utf8))
        var hash = InfoChecksum()
        hash.add(section: "backrest", key: "backrest-format", raw: "5")
        hash.add(section: "backrest", key: "backrest-version", raw: "\"2.45\"")
        for section in ini.sections {
            for entry in section.entries { hash.add(section: section.name, key: entry.key, raw: entry.raw) }
        }
        #expect(String(decoding: hash.hashInput, as: UTF8.self) == #"{"backrest":{"backrest-format":5,"backrest-version":"2.45"},"db":{"db-id":1,"db-system-id":7712362098826484028,"db-version":"15"},"db:history":{"1":{"db-id":7712362098826484028,"db-version":"15"}}}"#)
        #expect(hash.finish() == "488abde4acc62e5cbe57be1d6f138216bdc9e190")
        #expect(ini.writerVersion == "2.45")
        #expect(String(decoding: ini.render(), as: UTF8.self) == Self.archiveInfoGolden)
    }

    @Test func checksumMismatchIsChecksumError() {
        let text = Self.archiveInfoGolden.replacingOccurrences("db-id=1", "db-id=2")
        #expect(throws: PGVError(.checksum, "invalid checksum, actual '\(Self.checksum(of: text))' but expected '488abde4acc62e5cbe57be1d6f138216bdc9e190'")) {
            try InfoIni.parse(Array(text.utf8))
        }
    }

    @Test func missingChecksumIsAnError() {
        let text = "[backrest]\nbackrest-format=5\n"
        #expect(throws: PGVError(.checksum, "invalid checksum, actual 'a3765a8c2c1e5d35274a0b0ce118f4031faff0bd' but no checksum found")) {
            try InfoIni.parse(Array(text.utf8))
        }
    }

    @Test func wrongFormatIsFormatError() {
        let text = "[backrest]\nbackrest-format=4\n\n[backrest]\nbackrest-checksum=\"x\"\n"
        #expect(throws: PGVError(.format, "expected format 5 but found 4")) { try InfoIni.parse(Array(text.utf8)) }
    }

    /// The checksum line is not covered by the checksum: a flipped final LF that became JSON whitespace (space, tab
    /// or CR) would otherwise load as if intact (reliability scenario corruption.sh).
    @Test(arguments: [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r")])
    func whitespaceAroundTheChecksumIsFormatError(byte: UInt8) {
        var bytes = Array(Self.archiveInfoGolden.utf8)
        bytes[bytes.count - 1] = byte
        #expect(throws: PGVError(.format, "invalid backrest-checksum at line 14")) { try InfoIni.parse(bytes) }
        var leading = Array(Self.archiveInfoGolden.utf8)
        let equals = leading.lastIndex(of: UInt8(ascii: "="))!
        leading.insert(byte, at: equals + 1)
        #expect(throws: PGVError(.format, "invalid backrest-checksum at line 14")) { try InfoIni.parse(leading) }
    }

    @Test func checksumFirstPerlLayoutAndUnknownSectionsAreAccepted() throws {
        var body = "[backrest]\nbackrest-format=5\nbackrest-version=\"2.04\"\n\n[future]\nnew-key={\"x\":1}\n\n[db]\ndb-id=1\n"
        let sum = Self.checksum(of: body)
        body = body.replacingOccurrences("[backrest]\n", "[backrest]\nbackrest-checksum=\"\(sum)\"\n")
        let ini = try InfoIni.parse(Array(body.utf8))
        #expect(ini.raw("future", "new-key") == #"{"x":1}"#)
        #expect(ini.writerVersion == "2.04")
    }

    @Test func keysMayContainEquals() throws {
        var ini = InfoIni()
        ini.set("db", "a=b", ["db-id": 1])
        ini.set("db", "x=\"y\"=", .string("v=w"))
        let parsed = try InfoIni.parse(ini.render())
        #expect(parsed.raw("db", "a=b") == #"{"db-id":1}"#)
        #expect(try parsed.value("db", "x=\"y\"=") == .string("v=w"))
        #expect(parsed.render() == ini.render())
    }

    @Test func sectionsAndKeysRenderInByteOrder() {
        var ini = InfoIni()
        ini.set("db", "b", 1)
        ini.set("backup:current", "k", 1)
        ini.set("db", "B", 2)
        ini.set("db", "a", 3)
        let text = String(decoding: ini.render(), as: UTF8.self)
        #expect(text.hasPrefix("[backrest]\nbackrest-format=5\nbackrest-version=\"2.45\"\n\n[backup:current]\nk=1\n\n[db]\nB=2\na=3\nb=1\n\n[backrest]\nbackrest-checksum=\""))
        #expect(text.hasSuffix("\"\n") && !text.hasSuffix("\n\n"))
    }

    @Test(arguments: [
        ("orphan=1\n", ErrorCode.format),
        ("[db]\nnoequals\n", ErrorCode.format),
        ("[db]\nkey=notjson\n", ErrorCode.jsonFormat),
        ("[db]\nk=1\nk=2\n", ErrorCode.format),
    ])
    func syntaxErrors(text: String, code: ErrorCode) {
        do {
            _ = try InfoIni.parse(Array(text.utf8))
            Issue.record("parsed malformed text")
        } catch let error as PGVError {
            #expect(error.code == code)
        } catch { Issue.record("unexpected \(error)") }
    }

    static func checksum(of text: String) -> String {
        var hash = InfoChecksum()
        var section = ""
        for line in text.split(separator: "\n") {
            if line.hasPrefix("[") { section = String(line.dropFirst().dropLast()); continue }
            let parts = line.split(separator: "=", maxSplits: 1)
            if section == "backrest", parts[0] == "backrest-checksum" { continue }
            hash.add(section: section, key: String(parts[0]), raw: String(parts[1]))
        }
        return hash.finish()
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
