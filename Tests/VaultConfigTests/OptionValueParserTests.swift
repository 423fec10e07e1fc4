import Testing
import VaultCore
@testable import VaultConfig

@Suite struct OptionValueParserTests {
    static let sizeRows: [(String, Int64)] = [
        ("5MiB", 5 << 20), ("5MB", 5 << 20), ("5m", 5 << 20), ("1GB", 1 << 30), ("128KiB", 128 << 10),
        ("128kb", 128 << 10), ("42", 42), ("42b", 42), ("4PiB", 4 << 50), ("2TB", 2 << 40),
    ]

    @Test(arguments: sizeRows)
    func sizes(_ text: String, _ bytes: Int64) {
        #expect(OptionValueParser.parseSize(text) == bytes)
    }

    @Test(arguments: ["", "MiB", "5 MiB", "5XB", "-1", "1.5MiB", "99999999999999999999"])
    func badSizes(_ text: String) {
        #expect(OptionValueParser.parseSize(text) == nil)
    }

    @Test func times() {
        #expect(OptionValueParser.parseTime("60") == 60)
        #expect(OptionValueParser.parseTime("0.5") == 0.5)
        #expect(OptionValueParser.parseTime("-1") == nil)
        #expect(OptionValueParser.parseTime("1m") == nil)
    }

    @Test func sizeText() {
        #expect(OptionValueParser.sizeText(5 << 20) == "5MiB")
        #expect(OptionValueParser.sizeText(1000) == "1000")
    }

    @Test func pathsLoseTrailingSlashAndRejectDoubleSlash() throws {
        let option = try #require(OptionTable.standard.option("repo-path"))
        #expect(try OptionValueParser.parse(["/a/b/"], option: option, key: OptionKey("repo-path"), command: "info") == .string("/a/b"))
        #expect(try OptionValueParser.parse(["/"], option: option, key: OptionKey("repo-path"), command: "info") == .string("/"))
        let error = #expect(throws: PGVError.self) {
            try OptionValueParser.parse(["/a//b"], option: option, key: OptionKey("repo-path", index: 2), command: "info")
        }
        #expect(error?.message == "'/a//b' cannot contain // for 'repo2-path' option")
    }

    @Test func hashKeepsOrderAndLastValue() throws {
        let option = try #require(OptionTable.standard.option("recovery-option"))
        let value = try OptionValueParser.parse(
            ["a=1", "b=2", "a=3"], option: option, key: OptionKey("recovery-option"), command: "restore")
        #expect(value == .hash([OptionHashEntry(key: "b", value: "2"), OptionHashEntry(key: "a", value: "3")]))
    }

    @Test func timeRangeIsInSeconds() throws {
        let option = try #require(OptionTable.standard.option("archive-timeout"))
        let error = #expect(throws: PGVError.self) {
            try OptionValueParser.parse(["0.05"], option: option, key: OptionKey("archive-timeout"), command: "check")
        }
        #expect(error?.code == .optionInvalidValue)
        #expect(error?.message == "'0.05' is out of range for 'archive-timeout' option (allowed: 0.1-86400)")
    }
}
