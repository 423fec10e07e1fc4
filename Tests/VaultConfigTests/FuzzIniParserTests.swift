import Testing
import VaultCore
@testable import VaultConfig

/// `pgbackrest.conf` parsing (`IniParser`) on mutated config files: parses or throws `PGVError`.
struct FuzzIniParserTests {
    @Test func fuzzConfigIniParse() {
        let seeds = [ConfigFixture.runbookConfig, "[global]\nrepo1-path=/r\n\n[main]\npg1-path=/p\n# comment\n"]
            .map { Array($0.utf8) }
        let run = FuzzLoop.run("config ini", seeds: seeds) { bytes in
            _ = try IniParser.parse(String(decoding: bytes, as: UTF8.self))
        }
        #expect(run.passed == run.iterations)
    }
}
