#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The signing time in the two forms SigV4 uses: `x-amz-date` (`20150830T123600Z`) and the scope date
/// (`20150830`), both UTC, formatted with `gmtime_r(3)`.
public struct SigV4Timestamp: Sendable, Equatable {
    /// `YYYYMMDD'T'HHMMSS'Z'`.
    public let amzDate: String
    /// `YYYYMMDD`.
    public let scopeDate: String

    public init(unixSeconds: Int64) {
        var seconds = time_t(unixSeconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        scopeDate = pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2)
        amzDate = scopeDate + "T" + pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2) + "Z"
    }

    /// The current time, from `time(2)`.
    public static func now() -> SigV4Timestamp { SigV4Timestamp(unixSeconds: Int64(time(nil))) }
}
