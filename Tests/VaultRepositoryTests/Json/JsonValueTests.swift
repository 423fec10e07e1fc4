import Testing
import VaultCore
@testable import VaultRepository

@Suite struct JsonValueTests {
    /// pgBackRest's escaping table: only " \ LF CR TAB BS FF are escaped; / and UTF-8 stay raw.
    @Test(arguments: [
        ("plain", #""plain""#),
        ("a\"b", #""a\"b""#),
        ("a\\b", #""a\\b""#),
        ("a\nb", #""a\nb""#),
        ("a\rb", #""a\rb""#),
        ("a\tb", #""a\tb""#),
        ("a\u{08}b", #""a\bb""#),
        ("a\u{0C}b", #""a\fb""#),
        ("a/b", #""a/b""#),
        ("été ✓ 😀", "\"été ✓ 😀\""),
        ("a\u{01}b", "\"a\u{01}b\""),
    ])
    func escaping(input: String, expected: String) throws {
        #expect(JsonValue.string(input).rendered == expected)
        #expect(try JsonValue.parse(expected) == .string(input))
    }

    @Test func objectKeysRenderInByteOrder() {
        var object = JsonObject()
        object["b"] = 1
        object["B"] = 2
        object["é"] = 3
        object["a"] = .array([true, .null, "x"])
        #expect(JsonValue.object(object).rendered == #"{"B":2,"a":[true,null,"x"],"b":1,"é":3}"#)
    }

    @Test func integersKeepSixtyFourBits() throws {
        #expect(try JsonValue.parse("7712362098826484028") == .int(7712362098826484028))
        #expect(try JsonValue.parse("18446744073709551615") == .uint(UInt64.max))
        #expect(try JsonValue.parse("-9223372036854775808") == .int(Int64.min))
        #expect(JsonValue.uint(UInt64.max).rendered == "18446744073709551615")
        #expect(try JsonValue.parse("18446744073709551615").uint64Value == UInt64.max)
    }

    @Test func parserAcceptsUnicodeEscapesAndSlash() throws {
        #expect(try JsonValue.parse(#""\u00e9\/\ud83d\ude00""#) == .string("é/😀"))
        #expect(try JsonValue.parse(#" { "a" : [ 1 , {} ] } "#) == ["a": [1, [:]]])
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "tru", "01", "1.5", "1e3", "-", "\"abc", "\"\\x\"", "\"\\u12\"",
        "\"\\ud800\"", "{\"a\":1,\"a\":2}", "{a:1}", "[1] 2", "99999999999999999999",
    ])
    func malformedInputFailsWithJsonFormat(input: String) {
        #expect(throws: PGVError.self) { try JsonValue.parse(input) }
        do { _ = try JsonValue.parse(input) } catch let error as PGVError {
            #expect(error.code == .jsonFormat)
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func deepNestingIsRejectedWithoutCrashing() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: PGVError(.jsonFormat, "invalid json at offset 64: nesting deeper than 64")) {
            try JsonValue.parse(deep)
        }
        let fine = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect((try? JsonValue.parse(fine)) != nil)
    }

    @Test func invalidUtf8IsRejected() {
        #expect(throws: PGVError.self) { try JsonParser.parse([0x22, 0xff, 0x22]) }
    }
}
