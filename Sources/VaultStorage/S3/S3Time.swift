import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two time formats S3 answers with, parsed to unix seconds with `timegm(3)`: ISO 8601 in listings
/// (`2024-01-31T12:00:00.000Z`) and RFC 7231 in `Last-Modified`/`Retry-After` headers
/// (`Wed, 31 Jan 2024 12:00:00 GMT`).
public enum S3Time {
    public static func parseISO8601(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int32? {
            var value: Int32 = 0
            for byte in bytes[from..<(from + count)] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int32(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
              let minute = number(14, 2), let second = number(17, 2) else { return nil }
        return make(year, month, day, hour, minute, second)
    }

    public static func parseHTTPDate(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, let day = Int32(parts[1]), let year = Int32(parts[3]) else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let month = months.firstIndex(of: String(parts[2])) else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let hour = Int32(clock[0]), let minute = Int32(clock[1]), let second = Int32(clock[2])
        else { return nil }
        return make(year, Int32(month + 1), day, hour, minute, second)
    }

    /// Seconds to wait from a `Retry-After` value: delay seconds, or an HTTP date relative to `now`.
    public static func retryAfterSeconds(_ value: String, now: Int64) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds >= 0 { return seconds }
        guard let date = parseHTTPDate(trimmed) else { return nil }
        return Double(max(0, date - now))
    }

    private static func make(_ year: Int32, _ month: Int32, _ day: Int32, _ hour: Int32, _ minute: Int32,
                             _ second: Int32) -> Int64 {
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return Int64(timegm(&parts))
    }
}
