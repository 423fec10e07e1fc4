import Testing
@testable import VaultConfig

@Suite struct ConfigRedactionTests {
    @Test func secretsAreRecognised() {
        #expect(ConfigRedaction.isSecret("repo-cipher-pass"))
        #expect(ConfigRedaction.isSecret("repo-s3-key-secret"))
        #expect(ConfigRedaction.isSecret("cipher-pass"))
        #expect(!ConfigRedaction.isSecret("repo-path"))
        #expect(ConfigRedaction.displayValue("x", for: "repo-s3-token") == "<redacted>")
        #expect(ConfigRedaction.displayValue("/r", for: "repo-path") == "/r")
    }

    @Test func argumentsForLogs() {
        #expect(ConfigRedaction.argument(key: OptionKey("online"), value: .boolean(false)) == "--no-online")
        #expect(ConfigRedaction.argument(key: OptionKey("repo-path", index: 2), value: .string("/r")) == "--repo2-path=/r")
        #expect(
            ConfigRedaction.argument(key: OptionKey("repo-cipher-pass"), value: .string("p")) == "--repo1-cipher-pass=<redacted>")
        #expect(ConfigRedaction.argument(key: OptionKey("buffer-size"), value: .size(1 << 20)) == "--buffer-size=1MiB")
        #expect(ConfigRedaction.argument(key: OptionKey("db-include"), value: .list(["a", "b"])) == "--db-include=a --db-include=b")
    }

    @Test func rawArgumentListsAreRedacted() {
        #expect(
            ConfigRedaction.redactArguments(["--repo1-cipher-pass=p", "--repo2-s3-key", "k", "--stanza=m", "backup"])
                == ["--repo1-cipher-pass=<redacted>", "--repo2-s3-key", "<redacted>", "--stanza=m", "backup"])
    }
}
