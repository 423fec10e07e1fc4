import Foundation

/// The ISO-8601 instants AWS credential endpoints return as `Expiration`: `2026-11-26T12:03:13Z` from STS and IMDS,
/// with fractional seconds (`…13.496738Z`) from moto and some container agents, or with a numeric offset.
enum AwsTimestamp {
    /// The instant, or nil when `text` is not such a timestamp.
    static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingWhitespace()
        guard let dot = trimmed.firstIndex(of: ".") else { return try? Date(trimmed, strategy: .iso8601) }
        let digits = trimmed[trimmed.index(after: dot)...].prefix { $0.isASCII && $0.isNumber }
        let zone = trimmed[trimmed.index(after: dot)...].dropFirst(digits.count)
        guard !digits.isEmpty, let base = try? Date(String(trimmed[..<dot]) + zone, strategy: .iso8601) else {
            return nil
        }
        let fraction = Double("0." + digits) ?? 0
        return base.addingTimeInterval(fraction)
    }
}
