#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VaultCore

/// A backup set label (reference §1): full `YYYYMMDD-HHMMSSF`; diff/incr `<full label>_YYYYMMDD-HHMMSS{D|I}`,
/// so the prefix is always the set's full label. Times are local time. Labels sort chronologically as bytes.
public struct BackupLabel: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// Validates `text` against `^[0-9]{8}-[0-9]{6}F(_[0-9]{8}-[0-9]{6}(D|I))?$`; `.format` (029) otherwise.
    public init(_ text: String) throws {
        guard BackupLabel.isValid(text) else { throw PGVError(.format, "invalid backup label '\(text)'") }
        rawValue = text
    }

    private init(unchecked text: String) { rawValue = text }

    public var description: String { rawValue }

    public static func < (lhs: BackupLabel, rhs: BackupLabel) -> Bool { ByteOrder.precedes(lhs.rawValue, rhs.rawValue) }

    /// `full`, `diff` or `incr` from the final letter.
    public var type: BackupType {
        switch rawValue.utf8.last {
        case UInt8(ascii: "D"): .diff
        case UInt8(ascii: "I"): .incr
        default: .full
        }
    }

    /// The label of the full backup this set belongs to (the first 16 characters).
    public var fullLabel: String { String(decoding: rawValue.utf8.prefix(16), as: UTF8.self) }

    /// The `YYYYMMDD-HHMMSS` stamp of this backup itself (for diff/incr, the part after `_`).
    public var stamp: String { String(decoding: rawValue.utf8.suffix(16).prefix(15), as: UTF8.self) }

    /// True when `text` is a well-formed label.
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func stampAt(_ offset: Int) -> Bool {
            for index in 0..<15 {
                let byte = bytes[offset + index]
                if index == 8 { if byte != UInt8(ascii: "-") { return false } } else if !(0x30...0x39).contains(byte) { return false }
            }
            return true
        }
        if bytes.count == 16 { return stampAt(0) && bytes[15] == UInt8(ascii: "F") }
        if bytes.count == 33 {
            return stampAt(0) && bytes[15] == UInt8(ascii: "F") && bytes[16] == UInt8(ascii: "_") && stampAt(17)
                && (bytes[32] == UInt8(ascii: "D") || bytes[32] == UInt8(ascii: "I"))
        }
        return false
    }

    /// Broken-down local time of a clock value.
    public struct Stamp: Sendable, Equatable {
        public var year, month, day, hour, minute, second: Int

        public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
            (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
        }

        var text: String {
            func pad(_ value: Int, _ width: Int) -> String {
                let digits = String(value)
                return String(repeating: "0", count: max(0, width - digits.count)) + digits
            }
            return pad(year, 4) + pad(month, 2) + pad(day, 2) + "-" + pad(hour, 2) + pad(minute, 2) + pad(second, 2)
        }

        /// Local time of `unixSeconds` through `localtime_r(3)` (TZ honoured).
        public static func local(_ unixSeconds: Int64) -> Stamp {
            var time = time_t(unixSeconds)
            var parts = tm()
            localtime_r(&time, &parts)
            return Stamp(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
                         hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: Int(parts.tm_sec))
        }

        /// UTC of `unixSeconds` through `gmtime_r(3)` (for deterministic tests).
        public static func utc(_ unixSeconds: Int64) -> Stamp {
            var time = time_t(unixSeconds)
            var parts = tm()
            gmtime_r(&time, &parts)
            return Stamp(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
                         hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: Int(parts.tm_sec))
        }
    }

    /// The label for a backup of `type` at `stamp`; `prior` is required for diff/incr (its full label is the prefix).
    public static func format(type: BackupType, prior: BackupLabel?, stamp: Stamp) -> BackupLabel {
        switch type {
        case .full:
            return BackupLabel(unchecked: stamp.text + "F")
        case .diff, .incr:
            precondition(prior != nil, "diff/incr label needs a prior")
            return BackupLabel(unchecked: prior!.fullLabel + "_" + stamp.text + String(type.labelSuffix))
        }
    }

    /// Creates the label of a new backup at clock `now` (unix seconds). It must sort after the newest of `existing`
    /// (labels from the backup directory and `backup.history`); when it does not, one second is added; when it
    /// still does not, `.clock` (106) with pgBackRest's two hints, one per `HINT:` line. `stamp` turns a clock value
    /// into broken-down time (local by default).
    public static func next(type: BackupType, prior: BackupLabel?, existing: [String], now: Int64,
                            stamp: (Int64) -> Stamp = Stamp.local) throws -> BackupLabel {
        let latest = existing.max { ByteOrder.precedes($0, $1) }
        var label = format(type: type, prior: prior, stamp: stamp(now))
        guard let latest, !ByteOrder.precedes(latest, label.rawValue) else { return label }
        label = format(type: type, prior: prior, stamp: stamp(now + 1))
        guard ByteOrder.precedes(latest, label.rawValue) else {
            throw PGVError(.clock, "new backup label '\(label)' is not later than latest backup label '\(latest)'",
                           hint: "has the timezone changed?\nHINT: is there clock skew?")
        }
        return label
    }
}
