import VaultCore
import VaultRepository

/// Builds pgBackRest 2.45's info document (reference §9) from collected facts: an array with one object per stanza
/// (`archive`, `backup`, `cipher`, `db`, `name`, `repo`, `status`), keys in byte order. Pure; the text form is
/// rendered from this same document by `InfoTextRenderer`, as pgBackRest does.
public struct InfoReport: Sendable {
    /// `--set`: only that backup, with its manifest detail.
    public var set: String?
    /// `--type`: only backups of that type.
    public var type: BackupType?
    /// `--output=json` (lsn and annotation always shown; the lock percentage never).
    public var json: Bool

    public init(set: String? = nil, type: BackupType? = nil, json: Bool) {
        self.set = set
        self.type = type
        self.json = json
    }

    static let statusMessages: [Int: String] = [
        0: "ok", 1: "missing stanza path", 2: "no valid backups", 3: "missing stanza data", 4: "different across repos",
        5: "database mismatch across repos", 6: "requested backup not found", 99: "other",
    ]

    /// The document for `stanzas` (sorted by name).
    public func build(_ stanzas: [InfoStanzaFacts]) -> JsonValue {
        .array(stanzas.sorted { ByteOrder.precedes($0.name, $1.name) }.map(stanzaObject))
    }

    private func stanzaObject(_ facts: InfoStanzaFacts) -> JsonValue {
        var stanza = JsonObject()
        stanza["name"] = .string(facts.name)
        var dbSection: [JsonValue] = []
        var archiveSection: [JsonValue] = []
        var repoSection: [JsonValue] = []
        var statusCode = -1
        var cipher: String?
        var repos = facts.repos
        for index in repos.indices {
            var repo = repos[index]
            if repo.status == 0 && repo.backupInfo == nil { repo.status = 1 }
            if let backupInfo = repo.backupInfo {
                do {
                    for (position, pg) in backupInfo.history.enumerated() {
                        dbSection.append(["id": .uint(UInt64(pg.id)), "repo-key": .int(Int64(repo.key)),
                                          "system-id": .uint(pg.systemId), "version": .string(pg.version)])
                        if let entry = try archiveEntry(pg, repo: repo, current: position == backupInfo.history.count - 1) {
                            archiveSection.append(entry)
                        }
                    }
                    let current = backupInfo.current
                    if facts.current?.version != current.version || facts.current?.systemId != current.systemId {
                        statusCode = 5
                    }
                } catch {
                    let failure = PGVError.wrap(error)
                    repo.status = 99
                    repo.error = "[\(failure.code.name)] \(failure.message)"
                    repo.backupInfo = nil
                    repo.archiveInfo = nil
                    repo.manifest = nil
                }
            }
            if repo.status == 0 && (repo.backupInfo?.backups.isEmpty ?? true) { repo.status = 2 }
            if statusCode != 5 {
                statusCode = index == 0 ? repo.status : (statusCode != repo.status ? 4 : repo.status)
            }
            cipher = index == 0 ? repo.cipher : (cipher != repo.cipher ? "mixed" : repo.cipher)
            let message = repo.status == 99 ? (repo.error ?? "other") : (Self.statusMessages[repo.status] ?? "other")
            repoSection.append(["cipher": .string(repo.cipher), "key": .int(Int64(repo.key)),
                                "status": ["code": .int(Int64(repo.status)), "message": .string(message)]])
            repos[index] = repo
        }
        stanza["db"] = .array(dbSection)
        stanza["archive"] = .array(archiveSection)
        stanza["repo"] = .array(repoSection)
        stanza["backup"] = .array(backupSection(repos))
        var backupLock: JsonObject = ["held": .bool(facts.backupLockHeld)]
        if let percent = facts.percentComplete, facts.backupLockHeld, !json { backupLock["pct-cplt"] = .int(Int64(percent)) }
        stanza["status"] = ["code": .int(Int64(statusCode)), "lock": ["backup": .object(backupLock)],
                            "message": .string(Self.statusMessages[statusCode] ?? "other")]
        stanza["cipher"] = .string(cipher ?? "none")
        return .object(stanza)
    }

    /// The `archive` entry of one backup.info history entry: its archive id in archive.info (same id, version and
    /// system id; else the newest with the same version and system id: 044 when none) and the WAL range listed.
    /// Non-current entries without WAL are left out.
    private func archiveEntry(_ pg: PgHistory, repo: InfoStanzaFacts.Repo, current: Bool) throws -> JsonValue? {
        guard let archiveInfo = repo.archiveInfo else { return nil }
        let match = archiveInfo.history.reversed().first { $0.id == pg.id && $0.systemId == pg.systemId && $0.version == pg.version }
            ?? archiveInfo.history.reversed().first { $0.systemId == pg.systemId && $0.version == pg.version }
        guard let match else {
            throw PGVError(.archiveMismatch, "unable to retrieve the archive id for database version '\(pg.version)' "
                               + "and system-id '\(pg.systemId)'")
        }
        let range = repo.archiveRanges[match.archiveId]
        guard current || range != nil else { return nil }
        return ["database": ["id": .uint(UInt64(pg.id)), "repo-key": .int(Int64(repo.key))],
                "id": .string(match.archiveId), "min": range.map { .string($0.min) } ?? .null,
                "max": range.map { .string($0.max) } ?? .null]
    }

    /// Every backup of every repository, merged oldest first by stop time, filtered by `--set` and `--type`.
    private func backupSection(_ repos: [InfoStanzaFacts.Repo]) -> [JsonValue] {
        var next = repos.map { _ in 0 }
        var result: [JsonValue] = []
        while true {
            var chosen: Int?
            var chosenStop: Int64 = 0
            for (index, repo) in repos.enumerated() {
                guard let backups = repo.backupInfo?.backups, next[index] < backups.count else { continue }
                let stop = backups[next[index]].timestampStop
                if chosen == nil || stop < chosenStop {
                    chosen = index
                    chosenStop = stop
                }
            }
            guard let index = chosen, let entry = repos[index].backupInfo?.backups[next[index]] else { break }
            next[index] += 1
            if let set, !ByteOrder.same(entry.label, set) { continue }
            if let type, entry.type != type { continue }
            result.append(.object(backupObject(entry, repo: repos[index])))
        }
        return result
    }

    private func backupObject(_ entry: BackupInfo.Entry, repo: InfoStanzaFacts.Repo) -> JsonObject {
        var backup = JsonObject()
        backup["label"] = .string(entry.label)
        backup["type"] = .string(entry.type.rawValue)
        backup["prior"] = entry.prior.map(JsonValue.string) ?? .null
        backup["reference"] = entry.references.map { .array($0.map(JsonValue.string)) } ?? .null
        backup["archive"] = ["start": entry.archiveStart.map(JsonValue.string) ?? .null,
                             "stop": entry.archiveStop.map(JsonValue.string) ?? .null]
        backup["backrest"] = ["format": .int(entry.backrestFormat), "version": .string(entry.backrestVersion)]
        backup["database"] = ["id": .uint(UInt64(entry.dbId)), "repo-key": .int(Int64(repo.key))]
        var repository = JsonObject()
        if entry.repoSizeMap == nil { repository["size"] = .uint(entry.repoSize) }
        repository["delta"] = .uint(entry.repoSizeDelta)
        if json, let map = entry.repoSizeMap {
            repository["size-map"] = .uint(map)
            repository["delta-map"] = entry.repoSizeMapDelta.map(JsonValue.uint) ?? .null
        }
        backup["info"] = ["size": .uint(entry.size), "delta": .uint(entry.sizeDelta), "repository": .object(repository)]
        backup["timestamp"] = ["start": .int(entry.timestampStart), "stop": .int(entry.timestampStop)]
        if let error = entry.error { backup["error"] = .bool(error) }
        let detail = json || set != nil
        if detail, let start = entry.lsnStart, let stop = entry.lsnStop {
            backup["lsn"] = ["start": .string(start), "stop": .string(stop)]
        }
        if detail, let annotation = entry.annotation { backup["annotation"] = .object(annotation) }
        if set != nil, let manifest = repo.manifest { addManifestDetail(manifest, to: &backup) }
        return backup
    }

    /// `--set` detail from the manifest: databases other than template0/1, links, tablespaces, and the files with
    /// page checksum errors (which force `error` to true).
    private func addManifestDetail(_ manifest: Manifest, to backup: inout JsonObject) {
        backup["database-ref"] = .array(manifest.databases.filter { $0.name != "template0" && $0.name != "template1" }
            .map { ["name": .string($0.name), "oid": .uint(UInt64($0.id))] })
        var links: [JsonValue] = []
        var tablespaces: [JsonValue] = []
        for target in manifest.targets where target.kind == .link {
            if let name = target.tablespaceName {
                tablespaces.append(["destination": .string(target.path), "name": .string(name),
                                    "oid": .uint(UInt64(target.tablespaceId ?? "") ?? 0)])
            } else if let file = target.file {
                links.append(["destination": .string(target.path + "/" + file), "name": .string(file)])
            } else {
                links.append(["destination": .string(target.path), "name": .string(Self.pgPath(target.name))])
            }
        }
        backup["link"] = links.isEmpty ? .null : .array(links)
        backup["tablespace"] = tablespaces.isEmpty ? .null : .array(tablespaces)
        let errors = manifest.files.filter { $0.checksumPage == false }.map { JsonValue.string(Self.pgPath($0.name)) }
        if !errors.isEmpty {
            backup["error-list"] = .array(errors)
            backup["error"] = .bool(true)
        }
    }

    /// A manifest name relative to PGDATA: `pg_data/base/1/2` → `base/1/2`; other names unchanged.
    static func pgPath(_ name: String) -> String {
        name.hasPrefix("pg_data/") ? String(name.dropFirst("pg_data/".count)) : name
    }
}
