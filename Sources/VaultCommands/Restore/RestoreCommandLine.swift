import Glibc
import VaultConfig

/// Builds the `restore_command` PostgreSQL runs: `<binary> <options> archive-get %f "%p"`.
///
/// The options are those of this restore that archive-get also takes and that were given on the command line
/// (the config file and the environment are read again by archive-get itself), in option-name order, never a
/// secure option or `repo-cipher-type`, and never the log levels, `log-subprocess`, `log-timestamp` or
/// `process-max` (pgBackRest drops them too: a restore's `--process-max=8` means nothing to archive-get). A value
/// holding a space is wrapped in double quotes. The binary is `--cmd` when given, else the running executable.
public enum RestoreCommandLine {
    static let dropped: Set<String> = [
        "log-level-console", "log-level-file", "log-level-stderr", "log-subprocess", "log-timestamp", "process-max",
        "repo-cipher-type",
    ]

    public static func build(config: ResolvedConfig, executable: String) -> String {
        var words = [config.string("cmd") ?? executable]
        for key in config.values.keys.sorted() {
            guard let resolved = config.values[key], resolved.source == .commandLine,
                  let definition = config.table.option(key.name), definition.isValid(for: "archive-get"),
                  !definition.secure, !dropped.contains(key.name), key.name != "cmd" else { continue }
            let name = key.description
            let values: [String]
            switch resolved.value {
            case .boolean(let flag):
                words.append(flag ? "--\(name)" : "--no-\(name)")
                continue
            case .integer(let number): values = [String(number)]
            case .size(let bytes): values = [OptionValueParser.sizeText(bytes)]
            case .time(let seconds): values = [seconds == seconds.rounded() ? String(Int64(seconds)) : String(seconds)]
            case .string(let text): values = [text]
            case .list(let items): values = items
            case .hash(let entries): values = entries.map { "\($0.key)=\($0.value)" }
            }
            for value in values {
                words.append("--\(name)=" + (value.contains(" ") ? "\"\(value)\"" : value))
            }
        }
        return words.joined(separator: " ") + " archive-get %f \"%p\""
    }

    /// The absolute path of the running binary (`readlink(2)` of `/proc/self/exe`), or `pgvault` when unknown.
    public static func currentExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return "pgvault" }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
