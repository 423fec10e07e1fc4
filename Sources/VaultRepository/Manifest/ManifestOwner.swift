import VaultCore

/// A file owner or group in a manifest: a name, or `false` when the id had no name on the backed-up host.
public enum ManifestOwner: Sendable, Equatable {
    case name(String)
    case unmapped

    var json: JsonValue {
        switch self {
        case .name(let name): .string(name)
        case .unmapped: .bool(false)
        }
    }

    init(json: JsonValue, context: String) throws {
        switch json {
        case .string(let name): self = .name(name)
        case .bool(false): self = .unmapped
        default: throw PGVError(.format, "invalid user or group in '\(context)'")
        }
    }

    /// The name, nil when unmapped.
    public var name: String? { if case .name(let name) = self { name } else { nil } }
}

/// File mode text as manifests store it: four octal digits, `"0640"`.
enum ManifestMode {
    static func render(_ mode: UInt32) -> String {
        var digits = String(mode & 0o7777, radix: 8)
        while digits.count < 4 { digits = "0" + digits }
        return digits
    }

    static func parse(_ value: JsonValue?, context: String) throws -> UInt32 {
        guard let text = value?.stringValue, !text.isEmpty, text.count <= 4, let mode = UInt32(text, radix: 8),
              text.allSatisfy({ ("0"..."7").contains($0) }) else {
            throw PGVError(.format, "invalid mode in '\(context)'")
        }
        return mode
    }
}
