import Testing
import VaultCore
@testable import VaultRepository

/// `InfoIni.parse` (and through it `JsonParser`) on mutated info files and manifests: every input parses or throws
/// `PGVError`; a parsed document renders to text that parses and renders to the same text.
struct FuzzInfoIniTests {
    static let seeds = [PgBackRestInfoFixtures.archiveInfo, PgBackRestInfoFixtures.backupInfo, IncrManifestFixture.text]
        .map { Array($0.utf8) }

    @Test func fuzzInfoIniParse() {
        let run = FuzzLoop.run("info ini", seeds: Self.seeds) { bytes in
            let ini = try InfoIni.parse(bytes)
            let rendered = ini.render(version: ini.writerVersion ?? "2.45")
            #expect(try InfoIni.parse(rendered).render(version: ini.writerVersion ?? "2.45") == rendered)
        }
        #expect(run.passed == run.iterations)
    }

    @Test func fuzzJsonParser() {
        let seeds = [#"{"a":[1,-2,"x\u00e9\ud83d\ude00",true,false,null],"b":{"c":18446744073709551615}}"#, #""\/\n""#]
            .map { Array($0.utf8) }
        let run = FuzzLoop.run("json", seeds: seeds) { bytes in
            let value = try JsonParser.parse(bytes)
            #expect(try JsonParser.parse(Array(value.rendered.utf8)) == value)
        }
        #expect(run.passed == run.iterations)
    }
}

/// Inputs the fuzzing turned into defects, kept as regression tests.
struct FuzzInfoIniRegressionTests {
    @Test func fuzzRegressionManyEqualsSignsFailFast() {
        // Every `=` was tried as the split, each try copying and parsing the rest of the line: quadratic time.
        let line = Array("[backrest]\nbackrest-format=5\n[x]\nk".utf8) + Array(repeating: UInt8(ascii: "="), count: 2_000_000)
            + Array("1\n".utf8)
        #expect(throws: PGVError(.format, "more than 256 '=' before the value at line 4")) { _ = try InfoIni.parse(line) }
    }
}

extension FuzzInfoIniRegressionTests {
    @Test func fuzzRegressionManySectionsParseInLinearTime() throws {
        // 200 000 sections: each header was looked up by a linear search (4·10^10 comparisons).
        var text = Array("[backrest]\nbackrest-format=5\n".utf8)
        for index in 0..<200_000 { text += Array("[s\(index)]\nk=1\n".utf8) }
        #expect(throws: PGVError.self) { _ = try InfoIni.parse(text) }  // no checksum: 026 after the whole parse
    }
}
