import Testing
import VaultCore
@testable import VaultConfig

@Suite struct IniParserTests {
    @Test func readsSectionsKeysAndRepeats() throws {
        let document = try IniParser.parse(
            """
            # pgbackrest.conf
            [global]
              repo1-path = /var/lib/pgbackrest  
            exclude=a
            exclude = b

            [main:backup]
            start-fast=y
            recovery-option=a=b=c
            [global]
            log-level-console=info
            """)
        #expect(document.sections.map(\.name) == ["global", "main:backup"])
        #expect(document.values("global", "repo1-path") == ["/var/lib/pgbackrest"])
        #expect(document.values("global", "exclude") == ["a", "b"])
        #expect(document.values("global", "log-level-console") == ["info"])
        #expect(document.values("main:backup", "recovery-option") == ["a=b=c"])
        #expect(document.section("global")?.keys == ["repo1-path", "exclude", "log-level-console"])
        #expect(document.values("missing", "x") == nil)
    }

    @Test func emptyTextHasNoSections() throws {
        #expect(try IniParser.parse("").sections.isEmpty)
        #expect(try IniParser.parse("\n# only a comment\n\r\n").sections.isEmpty)
    }

    @Test func crlfLineEndingsAreTrimmed() throws {
        let document = try IniParser.parse("[global]\r\nrepo1-path=/r\r\n")
        #expect(document.values("global", "repo1-path") == ["/r"])
    }

    @Test(arguments: [
        ("[global\nx=1", "ini section should end with ] at line 1: [global"),
        ("[]\nx=1", "invalid empty section at line 1: []"),
        ("x=1", "key/value found outside of section at line 1: x=1"),
        ("[global]\n# c\nstanza", "missing '=' in key/value at line 3: stanza"),
        ("[global]\n =1", "key is zero-length at line 2: =1"),
    ])
    func malformedLinesNameTheLine(_ text: String, _ message: String) {
        let error = #expect(throws: PGVError.self) { try IniParser.parse(text) }
        #expect(error?.code == .format)
        #expect(error?.message == message)
    }

    @Test func mergeAppendsValuesInOrder() throws {
        var first = try IniParser.parse("[global]\nexclude=a")
        first.merge(try IniParser.parse("[global]\nexclude=b\n[main]\npg1-path=/d"))
        #expect(first.values("global", "exclude") == ["a", "b"])
        #expect(first.values("main", "pg1-path") == ["/d"])
    }
}
