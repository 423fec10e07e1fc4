import VaultCore

/// Checks and converts the raw strings of one option into an `OptionValue`, with pgBackRest's messages:
/// `'abc' is not valid for 'process-max' option` (032), `'0' is out of range for 'process-max' option` (032),
/// `'bogus' is not allowed for 'compress-type' option` (032), `'x' must begin with / for 'pg1-path' option` (032),
/// `key/value 'x' not valid for 'recovery-option' option` (031). Messages about enumerations and ranges also name
/// what is allowed, so one line tells the user what to type.
public enum OptionValueParser {
    /// Converts `raw` (one element for scalars, any number for lists and hashes) for `option` as typed `key`.
    /// Booleans are decided by the caller (`y`/`n`, `--no-`) and passed as `"y"`/`"n"`.
    public static func parse(
        _ raw: [String], option: OptionDefinition, key: OptionKey, command: String
    ) throws -> OptionValue {
        let name = key.description
        switch option.type {
        case .boolean:
            return .boolean(raw.first == "y")
        case .list:
            return .list(raw)
        case .hash:
            var entries: [OptionHashEntry] = []
            for pair in raw {
                guard let equal = pair.firstIndex(of: "=") else {
                    throw PGVError(.optionInvalid, "key/value '\(pair)' not valid for '\(name)' option")
                }
                let entry = OptionHashEntry(key: String(pair[..<equal]), value: String(pair[pair.index(after: equal)...]))
                entries.removeAll { $0.key == entry.key }
                entries.append(entry)
            }
            return .hash(entries)
        case .integer, .size, .time:
            let text = raw.first ?? ""
            let number: Double
            let value: OptionValue
            switch option.type {
            case .integer:
                guard let parsed = Int64(text) else { throw invalid(text, name) }
                number = Double(parsed)
                value = .integer(parsed)
            case .size:
                guard let parsed = parseSize(text) else { throw invalid(text, name) }
                number = Double(parsed)
                value = .size(parsed)
            default:
                guard let parsed = parseTime(text) else { throw invalid(text, name) }
                number = parsed
                value = .time(parsed)
            }
            if let range = option.allowedRange, !range.contains(number) {
                throw PGVError(
                    .optionInvalidValue,
                    "'\(text)' is out of range for '\(name)' option (allowed: \(describe(range, type: option.type)))")
            }
            if let allowed = option.allowedValues(for: command) {
                let allowedNumbers = allowed.compactMap { parseSize($0) }
                if case .size(let bytes) = value, !allowedNumbers.contains(bytes) {
                    throw notAllowed(text, name, allowed)
                }
            }
            return value
        case .string, .path:
            var text = raw.first ?? ""
            if text.isEmpty {
                throw PGVError(.optionInvalidValue, "'' must be >= 1 character for '\(name)' option")
            }
            if option.type == .path {
                if !text.hasPrefix("/") {
                    throw PGVError(.optionInvalidValue, "'\(text)' must begin with / for '\(name)' option")
                }
                if text.contains("//") {
                    throw PGVError(.optionInvalidValue, "'\(text)' cannot contain // for '\(name)' option")
                }
                if text.count > 1 && text.hasSuffix("/") { text.removeLast() }
            }
            if let allowed = option.allowedValues(for: command), !allowed.contains(text) {
                throw notAllowed(text, name, allowed)
            }
            return .string(text)
        }
    }

    /// pgBackRest's size syntax: digits, then optionally `b`, `k`/`kb`/`kib`, `m…`, `g…`, `t…`, `p…` in any case.
    /// Every unit is a power of 1024 (`5MB` is 5 MiB). Nil when malformed or above Int64.max.
    public static func parseSize(_ text: String) -> Int64? {
        let lower = text.lowercased()
        let digits = lower.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let base = Int64(digits) else { return nil }
        let unit = lower.dropFirst(digits.count)
        let multipliers: [String: Int64] = [
            "": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
            "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30, "t": 1 << 40, "tb": 1 << 40, "tib": 1 << 40,
            "p": 1 << 50, "pb": 1 << 50, "pib": 1 << 50,
        ]
        guard let multiplier = multipliers[String(unit)] else { return nil }
        let (product, overflow) = base.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : product
    }

    /// Seconds as a decimal number (`60`, `0.5`); nil when malformed or negative.
    public static func parseTime(_ text: String) -> Double? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let seconds = Double(text), seconds.isFinite
        else { return nil }
        return seconds
    }

    private static func invalid(_ text: String, _ name: String) -> PGVError {
        PGVError(.optionInvalidValue, "'\(text)' is not valid for '\(name)' option")
    }

    private static func notAllowed(_ text: String, _ name: String, _ allowed: [String]) -> PGVError {
        PGVError(
            .optionInvalidValue,
            "'\(text)' is not allowed for '\(name)' option (allowed: \(allowed.joined(separator: ", ")))")
    }

    private static func describe(_ range: OptionRange, type: OptionType) -> String {
        func format(_ value: Double) -> String {
            if type == .size { return sizeText(Int64(value)) }
            if value == value.rounded() { return String(Int64(value)) }
            return String(value)
        }
        return "\(format(range.lower))-\(format(range.upper))"
    }

    /// Bytes in the largest whole binary unit: `5242880` → `5MiB`.
    public static func sizeText(_ bytes: Int64) -> String {
        let units: [(String, Int64)] = [("PiB", 1 << 50), ("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        for (unit, factor) in units where bytes >= factor && bytes % factor == 0 {
            return "\(bytes / factor)\(unit)"
        }
        return String(bytes)
    }
}
