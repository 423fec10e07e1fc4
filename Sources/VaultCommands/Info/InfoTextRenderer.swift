import VaultRepository

/// Renders the info document (`InfoReport`) as pgBackRest 2.45's text output: per stanza the status (with
/// "backup/expire running" when the backup lock is held), cipher, then per cluster ("db (prior)" groups first, then
/// "db (current)") the WAL archive range and each backup with timestamps (local time), WAL and sizes. Pure.
public struct InfoTextRenderer: Sendable {
    /// Turns unix seconds into `YYYY-MM-DD HH:MM:SS`; local time by default (tests pass UTC).
    public var timestamp: @Sendable (Int64) -> String

    public init(timestamp: @escaping @Sendable (Int64) -> String = InfoTextRenderer.localTimestamp) {
        self.timestamp = timestamp
    }

    /// `localtime_r(3)` through `BackupLabel.Stamp.local`.
    public static let localTimestamp: @Sendable (Int64) -> String = { format(BackupLabel.Stamp.local($0)) }
    /// `gmtime_r(3)` through `BackupLabel.Stamp.utc`.
    public static let utcTimestamp: @Sendable (Int64) -> String = { format(BackupLabel.Stamp.utc($0)) }

    static func format(_ stamp: BackupLabel.Stamp) -> String {
        func pad(_ value: Int, _ width: Int = 2) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(stamp.year, 4))-\(pad(stamp.month))-\(pad(stamp.day)) "
            + "\(pad(stamp.hour)):\(pad(stamp.minute)):\(pad(stamp.second))"
    }

    /// The whole text, ending with a newline; "No stanzas exist in the repository." when `document` is empty.
    /// `current` gives each stanza's current cluster (to tell "db (current)" from "db (prior)").
    public func render(_ document: JsonValue, current: [String: InfoStanzaFacts.Cluster], set: String?) -> String {
        let stanzas = document.arrayValue ?? []
        guard !stanzas.isEmpty else { return "No stanzas exist in the repository.\n" }
        var out = ""
        for (index, value) in stanzas.enumerated() {
            guard let stanza = value.objectValue else { continue }
            if index > 0 { out += "\n" }
            let name = stanza["name"]?.stringValue ?? ""
            out += "stanza: \(name)\n    status: "
            out += statusText(stanza)
            let code = stanza["status"]?.objectValue?["code"]?.int64Value ?? 99
            if code != 1 {
                let cipher = stanza["cipher"]?.stringValue ?? "none"
                out += "    cipher: \(cipher)\n"
                if cipher == "mixed" {
                    for repo in stanza["repo"]?.arrayValue ?? [] {
                        guard let repo = repo.objectValue else { continue }
                        out += "        repo\(repo["key"]?.int64Value ?? 0): \(repo["cipher"]?.stringValue ?? "")\n"
                    }
                }
            }
            if !(stanza["db"]?.arrayValue ?? []).isEmpty, let cluster = current[name] {
                out += databases(stanza, current: cluster, set: set)
            }
        }
        return out
    }

    private func statusText(_ stanza: JsonObject) -> String {
        let status = stanza["status"]?.objectValue ?? JsonObject()
        let code = status["code"]?.int64Value ?? 99
        let message = status["message"]?.stringValue ?? ""
        let lock = status["lock"]?.objectValue?["backup"]?.objectValue
        let held = lock?["held"]?.boolValue ?? false
        let percent = lock?["pct-cplt"]?.int64Value.map { value -> String in
            let fraction = String(value % 100)
            return " - \(value / 100).\(fraction.count < 2 ? "0" + fraction : fraction)% complete"
        } ?? ""
        let running = "backup/expire running\(percent)"
        if code == 0 { return held ? "ok (\(running))\n" : "ok\n" }
        guard code == 4 || code == 5 || code == 99 else {
            return "error (\(message)\(held ? ", \(running))" : ")")\n"
        }
        var out = (code == 4 ? "mixed" : "error (\(message))") + (held ? " (\(running))" : "") + "\n"
        let repos = (stanza["repo"]?.arrayValue ?? []).compactMap(\.objectValue)
        let multiRepo = repos.count > 1
        let spacer = multiRepo ? "               " : "            "
        for repo in repos {
            let repoStatus = repo["status"]?.objectValue ?? JsonObject()
            let repoCode = repoStatus["code"]?.int64Value ?? 99
            let repoMessage = repoStatus["message"]?.stringValue ?? ""
            if multiRepo { out += "        repo\(repo["key"]?.int64Value ?? 0): " }
            if repoCode == 0 {
                out += "ok\n"
            } else if repoCode == 99 {
                let lines = repoMessage.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + spacer)
                out += (multiRepo ? "error (other)\n" : "") + spacer + lines + "\n"
            } else {
                out += "error (\(repoMessage))\n"
            }
        }
        return out
    }

    /// One cluster group: every history entry with the same system id and version, over all repositories.
    private struct Group {
        var systemId: UInt64
        var version: String
        var current: Bool
        var archiveMin: String?
        var archiveMax: String?
        var backups: [JsonObject] = []
    }

    private func databases(_ stanza: JsonObject, current: InfoStanzaFacts.Cluster, set: String?) -> String {
        let dbs = (stanza["db"]?.arrayValue ?? []).compactMap(\.objectValue)
        let archives = (stanza["archive"]?.arrayValue ?? []).compactMap(\.objectValue)
        let backups = (stanza["backup"]?.arrayValue ?? []).compactMap(\.objectValue)
        var groups: [Group] = []
        func groupIndex(_ db: JsonObject) -> Int? {
            groups.firstIndex { $0.systemId == db["system-id"]?.uint64Value && $0.version == db["version"]?.stringValue }
        }
        for db in dbs {
            let systemId = db["system-id"]?.uint64Value ?? 0
            let version = db["version"]?.stringValue ?? ""
            let index = groupIndex(db) ?? {
                groups.append(Group(systemId: systemId, version: version,
                                    current: systemId == current.systemId && version == current.version))
                return groups.count - 1
            }()
            for archive in archives {
                let database = archive["database"]?.objectValue
                guard database?["id"]?.int64Value == db["id"]?.int64Value,
                      database?["repo-key"]?.int64Value == db["repo-key"]?.int64Value,
                      let min = archive["min"]?.stringValue else { continue }
                if groups[index].archiveMin.map({ ByteOrder.compare($0, min) > 0 }) ?? true { groups[index].archiveMin = min }
                if let max = archive["max"]?.stringValue,
                   groups[index].archiveMax.map({ ByteOrder.compare($0, max) < 0 }) ?? true {
                    groups[index].archiveMax = max
                }
            }
        }
        var shown = 0..<groups.count
        for backup in backups {
            let database = backup["database"]?.objectValue
            guard let db = dbs.first(where: { $0["id"]?.int64Value == database?["id"]?.int64Value
                                                && $0["repo-key"]?.int64Value == database?["repo-key"]?.int64Value }),
                  let index = groupIndex(db) else { continue }
            groups[index].backups.append(backup)
            if set != nil { shown = index..<(index + 1) }
        }
        var prior = ""
        var currentText = "\n    db (current)"
        var displayCurrent = false
        for group in groups[shown] {
            if group.current {
                currentText += backupsText(group)
                displayCurrent = true
            } else if group.archiveMin != nil || !group.backups.isEmpty {
                prior += "\n    db (prior)" + backupsText(group)
            }
        }
        return prior + (displayCurrent ? currentText : "")
    }

    private func backupsText(_ group: Group) -> String {
        var out = "\n        wal archive min/max (\(group.version)): "
        if let min = group.archiveMin { out += "\(min)/\(group.archiveMax ?? "")\n" } else { out += "none present\n" }
        for backup in group.backups {
            out += "\n        \(backup["type"]?.stringValue ?? "") backup: \(backup["label"]?.stringValue ?? "")\n"
            let time = backup["timestamp"]?.objectValue
            out += "            timestamp start/stop: \(timestamp(time?["start"]?.int64Value ?? 0)) / "
                + "\(timestamp(time?["stop"]?.int64Value ?? 0))\n"
            let archive = backup["archive"]?.objectValue
            if let start = archive?["start"]?.stringValue, let stop = archive?["stop"]?.stringValue {
                out += "            wal start/stop: \(start) / \(stop)\n"
            } else {
                out += "            wal start/stop: n/a\n"
            }
            if let lsn = backup["lsn"]?.objectValue {
                out += "            lsn start/stop: \(lsn["start"]?.stringValue ?? "") / \(lsn["stop"]?.stringValue ?? "")\n"
            }
            let info = backup["info"]?.objectValue
            out += "            database size: \(size(info?["size"])), database backup size: \(size(info?["delta"]))\n"
            let repository = info?["repository"]?.objectValue
            out += "            repo\(backup["database"]?.objectValue?["repo-key"]?.int64Value ?? 0): "
            if let setSize = repository?["size"] { out += "backup set size: \(size(setSize)), " }
            out += "backup size: \(size(repository?["delta"]))\n"
            if let references = backup["reference"]?.arrayValue {
                out += "            backup reference list: \(references.compactMap(\.stringValue).joined(separator: ", "))\n"
            }
            if let databases = backup["database-ref"]?.arrayValue {
                out += "            database list:"
                if databases.isEmpty {
                    out += " none\n"
                } else {
                    out += databases.compactMap(\.objectValue).map { db in
                        " \(db["name"]?.stringValue ?? "") (\(db["oid"]?.uint64Value ?? 0))"
                    }.joined(separator: ",") + "\n"
                }
            }
            if let links = backup["link"]?.arrayValue {
                out += "            symlinks:\n" + links.compactMap(\.objectValue).map { link in
                    "                \(link["name"]?.stringValue ?? "") => \(link["destination"]?.stringValue ?? "")"
                }.joined(separator: "\n") + "\n"
            }
            if let tablespaces = backup["tablespace"]?.arrayValue {
                out += "            tablespaces:\n" + tablespaces.compactMap(\.objectValue).map { space in
                    "                \(space["name"]?.stringValue ?? "") (\(space["oid"]?.uint64Value ?? 0)) => "
                        + (space["destination"]?.stringValue ?? "")
                }.joined(separator: "\n") + "\n"
            }
            if backup["error"]?.boolValue == true {
                if let errors = backup["error-list"]?.arrayValue {
                    out += "            error list: \(errors.compactMap(\.stringValue).joined(separator: ", "))\n"
                } else {
                    out += "            error(s) detected during backup\n"
                }
            }
            if let annotation = backup["annotation"]?.objectValue {
                out += "            annotation(s)\n"
                for (key, value) in annotation.entries { out += "                \(key): \(value.stringValue ?? "")\n" }
            }
        }
        return out
    }

    private func size(_ value: JsonValue?) -> String { InfoSizeFormat.format(value?.uint64Value ?? 0) }
}
