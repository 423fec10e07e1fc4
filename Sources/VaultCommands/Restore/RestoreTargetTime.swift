import Glibc

/// Parses a `--target` time as pgBackRest does for automatic set selection: `YYYY-MM-DD HH:MM:SS`, optional
/// fraction (ignored), optional zone `±HH`, `±HHMM` or `±HH:MM`. Without a zone the time is local (`mktime(3)`
/// with DST left to the C library). Returns unix seconds, or nil when the text has another form.
public enum RestoreTargetTime {
    public static let formatHint = "time format must be YYYY-MM-DD HH:MM:SS with optional msec and optional timezone"
        + " (+/- HH or HHMM or HH:MM) - if timezone is omitted, local time is assumed (for UTC use +00)"

    public static func epoch(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        var position = 0
        func digits(_ count: Int) -> Int? {
            guard position + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[position..<position + count] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            position += count
            return value
        }
        func expect(_ character: Character) -> Bool {
            guard position < bytes.count, bytes[position] == character.asciiValue else { return false }
            position += 1
            return true
        }
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2),
              expect(" "), let hour = digits(2), expect(":"), let minute = digits(2), expect(":"),
              let second = digits(2) else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        if expect(".") {
            let start = position
            while position < bytes.count, (0x30...0x39).contains(bytes[position]) { position += 1 }
            guard position > start else { return nil }
        }
        if position == bytes.count {
            var parts = tm()
            parts.tm_year = Int32(year - 1900)
            parts.tm_mon = Int32(month - 1)
            parts.tm_mday = Int32(day)
            parts.tm_hour = Int32(hour)
            parts.tm_min = Int32(minute)
            parts.tm_sec = Int32(second)
            parts.tm_isdst = -1
            return Int64(mktime(&parts))
        }
        let sign: Int
        if expect("+") { sign = 1 } else if expect("-") { sign = -1 } else { return nil }
        guard let zoneHours = digits(2) else { return nil }
        var zoneMinutes = 0
        if position < bytes.count {
            _ = expect(":")
            guard let minutes = digits(2) else { return nil }
            zoneMinutes = minutes
        }
        guard position == bytes.count, zoneHours <= 14, zoneMinutes < 60 else { return nil }
        let utc = daysFromCivil(year: year, month: month, day: day) * 86400 + Int64(hour * 3600 + minute * 60 + second)
        return utc - Int64(sign * (zoneHours * 3600 + zoneMinutes * 60))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }
}
