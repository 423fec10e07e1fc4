/// Keeps secrets out of logs, errors, `help` and process titles: the value of every secure option (and of the
/// internal `cipher-pass`) prints as `<redacted>`.
public enum ConfigRedaction {
    public static let placeholder = "<redacted>"

    /// Whether values of `name` (without index) must never be printed.
    public static func isSecret(_ name: String, table: OptionTable = .standard) -> Bool {
        name == "cipher-pass" || table.option(name)?.secure == true
    }

    /// The value as it may be printed.
    public static func displayValue(_ value: String, for name: String, table: OptionTable = .standard) -> String {
        isSecret(name, table: table) ? placeholder : value
    }

    /// One option as a command-line argument for logs: `--delta`, `--no-online`, `--repo1-path=/r`,
    /// `--recovery-option=a=b --recovery-option=c=d`, `--repo1-cipher-pass=<redacted>`.
    public static func argument(key: OptionKey, value: OptionValue, table: OptionTable = .standard) -> String {
        let name = key.description
        if isSecret(key.name, table: table) { return "--\(name)=\(placeholder)" }
        switch value {
        case .boolean(let flag): return flag ? "--\(name)" : "--no-\(name)"
        case .integer(let number): return "--\(name)=\(number)"
        case .size(let bytes): return "--\(name)=\(OptionValueParser.sizeText(bytes))"
        case .time(let seconds):
            return "--\(name)=\(seconds == seconds.rounded() ? String(Int64(seconds)) : String(seconds))"
        case .string(let text): return "--\(name)=\(text)"
        case .list(let items): return items.map { "--\(name)=\($0)" }.joined(separator: " ")
        case .hash(let entries): return entries.map { "--\(name)=\($0.key)=\($0.value)" }.joined(separator: " ")
        }
    }

    /// Replaces every `--secure-option=value` (and `--secure-option value`) in a raw argument list, for process
    /// titles and error reports made before parsing succeeded.
    public static func redactArguments(_ arguments: [String], table: OptionTable = .standard) -> [String] {
        var result: [String] = []
        var redactNext = false
        for argument in arguments {
            if redactNext {
                result.append(placeholder)
                redactNext = false
                continue
            }
            guard argument.hasPrefix("--") else {
                result.append(argument)
                continue
            }
            let body = argument.dropFirst(2)
            let typed = body.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            let match = try? table.match(typed, prefixMatch: true)
            guard let name = match?.key.name, isSecret(name, table: table) else {
                result.append(argument)
                continue
            }
            if body.contains("=") {
                result.append("--\(typed)=\(placeholder)")
            } else {
                result.append(argument)
                redactNext = true
            }
        }
        return result
    }
}
