import VaultCore

/// A WAL position (`XLogRecPtr`, SQL type `pg_lsn`): a 64-bit byte offset into the WAL stream, printed as two
/// upper-case hex halves without leading zeros, `0/16B3748`, as PostgreSQL's `pg_lsn_out` does.
public struct Lsn: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public init(_ value: UInt64) { rawValue = value }

    /// Parses `HIGH/LOW` with 1–8 hex digits per half (either case). Returns nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = String(text).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let high = Self.half(parts[0]), let low = Self.half(parts[1]) else { return nil }
        rawValue = UInt64(high) << 32 | UInt64(low)
    }

    /// Parses like `init?(_:)`, throwing `format` [029] naming `what` on failure.
    public static func parse(_ text: some StringProtocol, what: String = "lsn") throws -> Lsn {
        guard let lsn = Lsn(text) else { throw PGVError(.format, "invalid \(what) '\(text)'") }
        return lsn
    }

    public static let zero = Lsn(0)

    /// The `log` half: `rawValue >> 32`.
    public var high: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 32) }
    /// The offset half: `rawValue & 0xFFFFFFFF`.
    public var low: UInt32 { UInt32(truncatingIfNeeded: rawValue) }

    public var description: String {
        String(high, radix: 16, uppercase: true) + "/" + String(low, radix: 16, uppercase: true)
    }

    public static func < (lhs: Lsn, rhs: Lsn) -> Bool { lhs.rawValue < rhs.rawValue }

    private static func half(_ text: Substring) -> UInt32? {
        guard (1...8).contains(text.count), text.allSatisfy(\.isHexDigit) else { return nil }
        return UInt32(text, radix: 16)
    }
}
