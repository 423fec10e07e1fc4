import VaultRepository
import VaultStorage

/// One repo-ls entry as pgBackRest 2.45 prints it (pure). Text: the name and a newline. JSON: `"name":{"type":…}`
/// with `size` and `time` for files and `destination` for links; the command joins entries with `,` inside `{…}`.
enum RepoLsRenderer {
    static func render(_ entry: StorageInfo, json: Bool) -> String {
        guard json else { return entry.name + "\n" }
        var out = JsonValue.quoted(entry.name) + ":{\"type\":\"" + typeName(entry.type) + "\""
        if entry.type == .file { out += ",\"size\":\(entry.size),\"time\":\(entry.modified)" }
        if entry.type == .link { out += ",\"destination\":" + JsonValue.quoted(entry.linkDestination ?? "") }
        return out + "}"
    }

    static func typeName(_ type: StorageEntryType) -> String {
        switch type {
        case .file: "file"
        case .link: "link"
        case .path: "path"
        case .special: "special"
        }
    }
}
