/// A JSON value as pgBackRest writes it in info files and manifests: strings, 64-bit integers (signed and
/// unsigned, so system identifiers survive), booleans, null, arrays and objects whose keys are kept in byte order.
///
/// `rendered` gives pgBackRest's compact form (`src/common/type/json.c` behaviour): no whitespace, keys in strcmp
/// order, and only `"` `\` LF CR TAB BS FF escaped; `/`, other control bytes and non-ASCII are written raw.
public enum JsonValue: Sendable, Equatable {
    case string(String)
    case int(Int64)
    case uint(UInt64)
    case bool(Bool)
    case null
    case array([JsonValue])
    case object(JsonObject)

    /// Compact pgBackRest rendering.
    public var rendered: String {
        var out: [UInt8] = []
        render(into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the compact rendering as UTF-8 bytes.
    public func render(into out: inout [UInt8]) {
        switch self {
        case .string(let text): JsonValue.renderString(text, into: &out)
        case .int(let value): out.append(contentsOf: String(value).utf8)
        case .uint(let value): out.append(contentsOf: String(value).utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.render(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (index, entry) in object.entries.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JsonValue.renderString(entry.key, into: &out)
                out.append(UInt8(ascii: ":"))
                entry.value.render(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Renders `text` as a JSON string with pgBackRest's escaping table.
    public static func renderString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5c, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5c, 0x5c])
            case 0x0a: out.append(contentsOf: [0x5c, UInt8(ascii: "n")])
            case 0x0d: out.append(contentsOf: [0x5c, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5c, UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [0x5c, UInt8(ascii: "b")])
            case 0x0c: out.append(contentsOf: [0x5c, UInt8(ascii: "f")])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `text` as a JSON string literal.
    public static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        renderString(text, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses one complete JSON value; see `JsonParser`.
    public static func parse(_ text: String) throws -> JsonValue {
        try JsonParser.parse(Array(text.utf8))
    }

    public var stringValue: String? { if case .string(let text) = self { return text } else { return nil } }
    public var boolValue: Bool? { if case .bool(let value) = self { return value } else { return nil } }
    public var objectValue: JsonObject? { if case .object(let object) = self { return object } else { return nil } }
    public var arrayValue: [JsonValue]? { if case .array(let items) = self { return items } else { return nil } }
    public var isNull: Bool { self == .null }

    /// The value as Int64 when it is an integer that fits.
    public var int64Value: Int64? {
        switch self {
        case .int(let value): return value
        case .uint(let value): return Int64(exactly: value)
        default: return nil
        }
    }

    /// The value as UInt64 when it is a non-negative integer.
    public var uint64Value: UInt64? {
        switch self {
        case .int(let value): return UInt64(exactly: value)
        case .uint(let value): return value
        default: return nil
        }
    }
}

extension JsonValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JsonValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JsonValue)...) {
        var object = JsonObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}
