import VaultCore

/// A repository document stored as an `InfoIni`: archive.info, backup.info or a backup manifest.
/// `InfoFileStore` loads and saves any of them with the `.copy` fallback and encryption.
public protocol InfoDocument: Sendable {
    /// Builds the model from a parsed, checksum-verified document; `.format` (029) when it is malformed.
    init(ini: InfoIni) throws
    /// The document to render; section and key order follow the format.
    func ini() -> InfoIni
}

extension InfoDocument {
    /// The file text (plaintext), ready to encrypt.
    public func render() -> [UInt8] { ini().render() }

    /// Parses plaintext file text, verifying format and checksum.
    public static func parse(_ bytes: [UInt8]) throws -> Self { try Self(ini: InfoIni.parse(bytes)) }
}

/// Typed reads from an `InfoIni`/`JsonObject` that turn a missing or mistyped value into `.format` (029).
enum InfoField {
    static func missing(_ section: String, _ key: String) -> PGVError {
        PGVError(.format, "missing or invalid key '\(key)' in section '\(section)'")
    }

    static func value(_ ini: InfoIni, _ section: String, _ key: String) throws -> JsonValue {
        guard let value = try ini.value(section, key) else { throw missing(section, key) }
        return value
    }

    static func string(_ ini: InfoIni, _ section: String, _ key: String) throws -> String {
        guard let text = try value(ini, section, key).stringValue else { throw missing(section, key) }
        return text
    }

    static func uint(_ ini: InfoIni, _ section: String, _ key: String) throws -> UInt64 {
        guard let number = try value(ini, section, key).uint64Value else { throw missing(section, key) }
        return number
    }

    static func int(_ ini: InfoIni, _ section: String, _ key: String) throws -> Int64 {
        guard let number = try value(ini, section, key).int64Value else { throw missing(section, key) }
        return number
    }

    static func bool(_ ini: InfoIni, _ section: String, _ key: String) throws -> Bool {
        guard let flag = try value(ini, section, key).boolValue else { throw missing(section, key) }
        return flag
    }

    static func object(_ entry: InfoIni.Entry, section: String) throws -> JsonObject {
        guard let object = try entry.value().objectValue else { throw missing(section, entry.key) }
        return object
    }

    static func string(_ object: JsonObject, _ key: String, in context: String) throws -> String {
        guard let text = object[key]?.stringValue else { throw missing(context, key) }
        return text
    }

    static func uint(_ object: JsonObject, _ key: String, in context: String) throws -> UInt64 {
        guard let number = object[key]?.uint64Value else { throw missing(context, key) }
        return number
    }

    static func int(_ object: JsonObject, _ key: String, in context: String) throws -> Int64 {
        guard let number = object[key]?.int64Value else { throw missing(context, key) }
        return number
    }

    static func bool(_ object: JsonObject, _ key: String, in context: String) throws -> Bool {
        guard let flag = object[key]?.boolValue else { throw missing(context, key) }
        return flag
    }

    /// An optional string: absent or null gives nil, anything else but a string is an error.
    static func optionalString(_ object: JsonObject, _ key: String, in context: String) throws -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw missing(context, key) }
        return text
    }

    static func optionalUInt(_ object: JsonObject, _ key: String, in context: String) throws -> UInt64? {
        guard let value = object[key] else { return nil }
        guard let number = value.uint64Value else { throw missing(context, key) }
        return number
    }

    static func optionalBool(_ object: JsonObject, _ key: String, in context: String) throws -> Bool? {
        guard let value = object[key] else { return nil }
        guard let flag = value.boolValue else { throw missing(context, key) }
        return flag
    }

    /// A history id key: a decimal number up to 2^31 - 1 (stanza-upgrade adds 1 to the largest).
    static func historyId(_ key: String, section: String) throws -> UInt32 {
        guard let id = UInt32(key), String(id) == key, id <= UInt32(Int32.max) else {
            throw PGVError(.format, "invalid history id '\(key)' in section '\(section)'")
        }
        return id
    }

    /// A cluster version string as in archive ids: "9.6", "10", "15".
    static func pgVersion(_ text: String, section: String) throws -> String {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else {
            throw PGVError(.format, "invalid db-version '\(text)' in section '\(section)'")
        }
        return text
    }
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
}
