import Glibc
import Logging

/// Renders one log event as a line, without the trailing newline.
///
/// Text: `2024-01-15 02:00:00.123 P00   INFO: message` (the level right-aligned in six columns, as pgBackRest does;
/// the timestamp only when `timestamp` is on). JSON: `{"time":"…","level":"info","process":0,"stanza":"…",
/// "command":"…","message":"…","fields":{…}}` with keys in that order.
public struct LogLineRenderer: Sendable {
    public var format: LogFormat
    public var timestamp: Bool
    public var processId: Int
    public var stanza: String?
    public var command: String?
    /// Text lines as pgBackRest writes them to stderr: `ERROR: message`, no timestamp or process id.
    public var bare: Bool

    public init(format: LogFormat = .text, timestamp: Bool = true, processId: Int = 0, stanza: String? = nil,
                command: String? = nil, bare: Bool = false) {
        self.format = format
        self.timestamp = timestamp
        self.processId = processId
        self.stanza = stanza
        self.command = command
        self.bare = bare
    }

    /// The same renderer in the stderr style.
    public var forStandardError: LogLineRenderer {
        var copy = self
        copy.bare = true
        return copy
    }

    public func render(level: LogLevel, message: String, fields: [String: String] = [:], time: timespec) -> String {
        switch format {
        case .text where bare:
            return level.label + ": " + message
        case .text:
            var line = timestamp ? Self.localTimestamp(time) + " " : ""
            let process = String(processId)
            line += "P" + String(repeating: "0", count: max(0, 2 - process.count)) + process + " "
            let label = level.label
            line += String(repeating: " ", count: max(0, 6 - label.count)) + label + ": " + message
            return line
        case .json:
            var object = "{\"time\":" + Self.jsonString(Self.utcTimestamp(time))
            object += ",\"level\":" + Self.jsonString(level.rawValue)
            object += ",\"process\":\(processId)"
            if let stanza { object += ",\"stanza\":" + Self.jsonString(stanza) }
            if let command { object += ",\"command\":" + Self.jsonString(command) }
            object += ",\"message\":" + Self.jsonString(message)
            if !fields.isEmpty {
                object += ",\"fields\":{"
                object += fields.keys.sorted().map { Self.jsonString($0) + ":" + Self.jsonString(fields[$0]!) }
                    .joined(separator: ",")
                object += "}"
            }
            return object + "}"
        }
    }

    /// `YYYY-MM-DD HH:MM:SS.mmm` in local time (`localtime_r`).
    static func localTimestamp(_ time: timespec) -> String {
        var seconds = time.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        return format(parts, millis: Int(time.tv_nsec / 1_000_000), separator: " ", suffix: "")
    }

    /// RFC 3339 UTC with milliseconds (`gmtime_r`), for JSON lines.
    static func utcTimestamp(_ time: timespec) -> String {
        var seconds = time.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return format(parts, millis: Int(time.tv_nsec / 1_000_000), separator: "T", suffix: "Z")
    }

    private static func format(_ t: tm, millis: Int, separator: String, suffix: String) -> String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(Int(t.tm_year) + 1900, 4) + "-" + pad(Int(t.tm_mon) + 1, 2) + "-" + pad(Int(t.tm_mday), 2)
            + separator + pad(Int(t.tm_hour), 2) + ":" + pad(Int(t.tm_min), 2) + ":" + pad(Int(t.tm_sec), 2)
            + "." + pad(millis, 3) + suffix
    }

    /// A JSON string literal with the control characters escaped.
    static func jsonString(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
