import VaultIO
import VaultCore

/// A backup set's manifest, `backup.manifest` (reference §2.6): what the set holds and how to restore it.
///
/// Lists (`files`, `paths`, `links`, `targets`, `databases`) are in byte order of their names after reading and
/// are sorted again on writing; code that appends must call `sortLists()` before `file(named:)`. Reading
/// applies the `[target:*:default]` sections after the lists (they come later in the file) and validates every
/// name (`ManifestName`) so a hostile repository cannot direct restore outside its target. Writing derives the
/// defaults from the `pg_data` path entry as pgBackRest does (files: its mode & 0640; paths: its mode; links and
/// both others: its user and group) and omits every value equal to its default.
public struct Manifest: InfoDocument, Equatable {
    public var backup: Backup
    /// `[backup:db]`: the cluster the set was taken from; `id` is the backup.info history id.
    public var db: PgHistory
    public var options: Options
    public var targets: [Target] = []
    /// `[cipher] cipher-pass`: the passphrase of this set's data files.
    public var cipherPass: String?
    public var databases: [Database] = []
    /// `[metadata] annotation`.
    public var annotation: JsonObject?
    public var files: [ManifestFile] = []
    public var links: [Link] = []
    public var paths: [Path] = []
    /// Defaults read from the file; used for writing only when there is no `pg_data` path to derive them from.
    public var fileDefaults: Defaults?
    public var linkDefaults: Defaults?
    public var pathDefaults: Defaults?
    /// `backrest-version` of the writer, when read from a file.
    public private(set) var writerVersion: String?

    public init(backup: Backup, db: PgHistory, options: Options) {
        self.backup = backup
        self.db = db
        self.options = options
    }

    // MARK: lookups

    /// Sorts every list by name bytes (appending keeps no order; `file(named:)` needs it).
    public mutating func sortLists() {
        targets.sort { ByteOrder.precedes($0.name, $1.name) }
        databases.sort { ByteOrder.precedes($0.name, $1.name) }
        files.sort { ByteOrder.precedes($0.name, $1.name) }
        links.sort { ByteOrder.precedes($0.name, $1.name) }
        paths.sort { ByteOrder.precedes($0.name, $1.name) }
    }

    /// The file named `name` (binary search by bytes).
    public func file(named name: String) -> ManifestFile? {
        var low = 0
        var high = files.count
        while low < high {
            let mid = (low + high) / 2
            let order = ByteOrder.compare(files[mid].name, name)
            if order == 0 { return files[mid] }
            if order < 0 { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    public func path(named name: String) -> Path? { paths.first { ByteOrder.same($0.name, name) } }
    public func target(named name: String) -> Target? { targets.first { ByteOrder.same($0.name, name) } }

    /// The label whose set physically holds `file`: its reference, or this backup.
    public func holdingLabel(of file: ManifestFile) -> String { file.reference ?? backup.label }

    // MARK: defaults

    /// The defaults written for files, links and paths: derived from the `pg_data` path when present.
    public var effectiveDefaults: (file: Defaults, link: Defaults, path: Defaults) {
        if let pgData = path(named: "pg_data") {
            return (Defaults(user: pgData.user, group: pgData.group, mode: pgData.mode & 0o640),
                    Defaults(user: pgData.user, group: pgData.group, mode: nil),
                    Defaults(user: pgData.user, group: pgData.group, mode: pgData.mode))
        }
        let fallback = Defaults(user: .unmapped, group: .unmapped, mode: 0o640)
        return (fileDefaults ?? fallback, linkDefaults ?? Defaults(user: .unmapped, group: .unmapped, mode: nil),
                pathDefaults ?? Defaults(user: .unmapped, group: .unmapped, mode: 0o700))
    }

    // MARK: write

    public func ini() -> InfoIni {
        var sorted = self
        sorted.sortLists()
        return sorted.sortedIni()
    }

    private func sortedIni() -> InfoIni {
        var ini = InfoIni()
        let section = "backup"
        if let archiveStart = backup.archiveStart { ini.set(section, "backup-archive-start", .string(archiveStart)) }
        if let archiveStop = backup.archiveStop { ini.set(section, "backup-archive-stop", .string(archiveStop)) }
        if backup.blockIncr { ini.set(section, "backup-block-incr", true) }
        if backup.bundle { ini.set(section, "backup-bundle", true) }
        if backup.bundleRaw { ini.set(section, "backup-bundle-raw", true) }
        ini.set(section, "backup-label", .string(backup.label))
        if let lsnStart = backup.lsnStart { ini.set(section, "backup-lsn-start", .string(lsnStart)) }
        if let lsnStop = backup.lsnStop { ini.set(section, "backup-lsn-stop", .string(lsnStop)) }
        if let prior = backup.prior { ini.set(section, "backup-prior", .string(prior)) }
        if !backup.references.isEmpty {
            ini.set(section, "backup-reference", .string(backup.references.joined(separator: ",")))
        }
        ini.set(section, "backup-timestamp-copy-start", .int(backup.timestampCopyStart))
        ini.set(section, "backup-timestamp-start", .int(backup.timestampStart))
        if let stop = backup.timestampStop { ini.set(section, "backup-timestamp-stop", .int(stop)) }
        ini.set(section, "backup-type", .string(backup.type.rawValue))

        ini.set("backup:db", "db-catalog-version", .uint(UInt64(db.catalogVersion)))
        ini.set("backup:db", "db-control-version", .uint(UInt64(db.controlVersion)))
        ini.set("backup:db", "db-id", .uint(UInt64(db.id)))
        ini.set("backup:db", "db-system-id", .uint(db.systemId))
        ini.set("backup:db", "db-version", .string(db.version))

        let option = "backup:option"
        ini.set(option, "option-archive-check", .bool(options.archiveCheck))
        ini.set(option, "option-archive-copy", .bool(options.archiveCopy))
        if let value = options.backupStandby { ini.set(option, "option-backup-standby", .bool(value)) }
        if let value = options.bufferSize { ini.set(option, "option-buffer-size", .uint(value)) }
        if let value = options.checksumPage { ini.set(option, "option-checksum-page", .bool(value)) }
        ini.set(option, "option-compress", .bool(options.compressType != .none))
        if let value = options.compressLevel { ini.set(option, "option-compress-level", .int(value)) }
        if let value = options.compressLevelNetwork { ini.set(option, "option-compress-level-network", .int(value)) }
        ini.set(option, "option-compress-type", .string(options.compressType.rawValue))
        if let value = options.delta { ini.set(option, "option-delta", .bool(value)) }
        ini.set(option, "option-hardlink", .bool(options.hardlink))
        ini.set(option, "option-online", .bool(options.online))
        if let value = options.processMax { ini.set(option, "option-process-max", .uint(value)) }

        for target in targets {
            var object = JsonObject()
            if let file = target.file { object["file"] = .string(file) }
            object["path"] = .string(target.path)
            if let id = target.tablespaceId { object["tablespace-id"] = .string(id) }
            if let name = target.tablespaceName { object["tablespace-name"] = .string(name) }
            object["type"] = .string(target.kind.rawValue)
            ini.set("backup:target", target.name, .object(object))
        }
        if let cipherPass { ini.set("cipher", "cipher-pass", .string(cipherPass)) }
        for database in databases {
            ini.set("db", database.name, ["db-id": .uint(UInt64(database.id)),
                                          "db-last-system-id": .uint(UInt64(database.lastSystemId))])
        }
        if let annotation { ini.set("metadata", "annotation", .object(annotation)) }

        let defaults = effectiveDefaults
        for file in files { ini.set("target:file", file.name, file.json(defaults: defaults.file)) }
        ini.set("target:file:default", "group", defaults.file.group.json)
        ini.set("target:file:default", "mode", .string(ManifestMode.render(defaults.file.mode ?? 0o640)))
        ini.set("target:file:default", "user", defaults.file.user.json)
        for link in links {
            var object = JsonObject()
            object["destination"] = .string(link.destination)
            if link.group != defaults.link.group { object["group"] = link.group.json }
            if link.user != defaults.link.user { object["user"] = link.user.json }
            ini.set("target:link", link.name, .object(object))
        }
        if !links.isEmpty {
            ini.set("target:link:default", "group", defaults.link.group.json)
            ini.set("target:link:default", "user", defaults.link.user.json)
        }
        for path in paths {
            var object = JsonObject()
            if path.group != defaults.path.group { object["group"] = path.group.json }
            if path.mode != defaults.path.mode { object["mode"] = .string(ManifestMode.render(path.mode)) }
            if path.user != defaults.path.user { object["user"] = path.user.json }
            ini.set("target:path", path.name, .object(object))
        }
        ini.set("target:path:default", "group", defaults.path.group.json)
        ini.set("target:path:default", "mode", .string(ManifestMode.render(defaults.path.mode ?? 0o700)))
        ini.set("target:path:default", "user", defaults.path.user.json)
        return ini
    }

    // MARK: read

    public init(ini: InfoIni) throws {
        let section = "backup"
        let label = try InfoField.string(ini, section, "backup-label")
        guard BackupLabel.isValid(label) else { throw PGVError(.format, "invalid backup-label '\(label)'") }
        let typeText = try InfoField.string(ini, section, "backup-type")
        guard let type = BackupType(rawValue: typeText) else { throw PGVError(.format, "invalid backup-type '\(typeText)'") }
        let prior = try ini.value(section, "backup-prior")?.stringValue
        if let prior, !BackupLabel.isValid(prior) { throw PGVError(.format, "invalid backup-prior '\(prior)'") }
        var references: [String] = []
        if let value = try ini.value(section, "backup-reference") {
            guard let text = value.stringValue else { throw InfoField.missing(section, "backup-reference") }
            references = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard references.allSatisfy(BackupLabel.isValid) else {
                throw PGVError(.format, "invalid backup-reference '\(text)'")
            }
        }
        var backup = Backup(label: label, type: type, prior: prior, references: references,
                            timestampStart: try Manifest.timestamp(ini, "backup-timestamp-start"),
                            timestampCopyStart: try Manifest.timestamp(ini, "backup-timestamp-copy-start"))
        if try ini.value(section, "backup-timestamp-stop") != nil {
            backup.timestampStop = try Manifest.timestamp(ini, "backup-timestamp-stop")
        }
        backup.archiveStart = try ini.value(section, "backup-archive-start")?.stringValue
        backup.archiveStop = try ini.value(section, "backup-archive-stop")?.stringValue
        backup.lsnStart = try ini.value(section, "backup-lsn-start")?.stringValue
        backup.lsnStop = try ini.value(section, "backup-lsn-stop")?.stringValue
        backup.blockIncr = try ini.value(section, "backup-block-incr")?.boolValue ?? false
        backup.bundle = try ini.value(section, "backup-bundle")?.boolValue ?? false
        backup.bundleRaw = try ini.value(section, "backup-bundle-raw")?.boolValue ?? false

        guard let dbId = UInt32(exactly: try InfoField.uint(ini, "backup:db", "db-id")),
              let control = UInt32(exactly: try InfoField.uint(ini, "backup:db", "db-control-version")),
              let catalog = UInt32(exactly: try InfoField.uint(ini, "backup:db", "db-catalog-version")) else {
            throw PGVError(.format, "invalid section 'backup:db'")
        }
        let db = PgHistory(id: dbId, systemId: try InfoField.uint(ini, "backup:db", "db-system-id"),
                           version: try InfoField.pgVersion(try InfoField.string(ini, "backup:db", "db-version"),
                                                            section: "backup:db"),
                           controlVersion: control, catalogVersion: catalog)

        let option = "backup:option"
        var options = Options()
        options.archiveCheck = try InfoField.bool(ini, option, "option-archive-check")
        options.archiveCopy = try InfoField.bool(ini, option, "option-archive-copy")
        options.hardlink = try InfoField.bool(ini, option, "option-hardlink")
        options.online = try InfoField.bool(ini, option, "option-online")
        // option-compress first (historically gz), then option-compress-type overrides.
        options.compressType = try InfoField.bool(ini, option, "option-compress") ? .gz : .none
        if let value = try ini.value(option, "option-compress-type") {
            guard let text = value.stringValue, let type = CompressionType(rawValue: text) else {
                throw InfoField.missing(option, "option-compress-type")
            }
            options.compressType = type
        }
        options.backupStandby = try ini.value(option, "option-backup-standby")?.boolValue
        options.bufferSize = try ini.value(option, "option-buffer-size")?.uint64Value
        options.checksumPage = try ini.value(option, "option-checksum-page")?.boolValue
        options.compressLevel = try ini.value(option, "option-compress-level")?.int64Value
        options.compressLevelNetwork = try ini.value(option, "option-compress-level-network")?.int64Value
        options.delta = try ini.value(option, "option-delta")?.boolValue
        options.processMax = try ini.value(option, "option-process-max")?.uint64Value

        self.init(backup: backup, db: db, options: options)
        writerVersion = ini.writerVersion
        cipherPass = try ini.value("cipher", "cipher-pass")?.stringValue
        if let value = try ini.value("metadata", "annotation") {
            guard let object = value.objectValue else { throw InfoField.missing("metadata", "annotation") }
            annotation = object
        }

        var targets: [Target] = []
        for entry in ini.entries(in: "backup:target") {
            let context = "backup:target"
            guard entry.key == "pg_data" || ManifestName.isValid(entry.key, allowRoot: false) else {
                throw PGVError(.format, "invalid name '\(entry.key)' in section '\(context)'")
            }
            let object = try InfoField.object(entry, section: context)
            let kindText = try InfoField.string(object, "type", in: context)
            guard let kind = Target.Kind(rawValue: kindText) else { throw InfoField.missing(context, "type") }
            targets.append(Target(name: entry.key, kind: kind, path: try InfoField.string(object, "path", in: context),
                                  file: try InfoField.optionalString(object, "file", in: context),
                                  tablespaceId: try InfoField.optionalString(object, "tablespace-id", in: context),
                                  tablespaceName: try InfoField.optionalString(object, "tablespace-name", in: context)))
        }
        guard targets.contains(where: { $0.name == "pg_data" }) else {
            throw PGVError(.format, "missing target 'pg_data' in section 'backup:target'")
        }
        self.targets = targets

        var databases: [Database] = []
        for entry in ini.entries(in: "db") {
            let object = try InfoField.object(entry, section: "db")
            guard let id = UInt32(exactly: try InfoField.uint(object, "db-id", in: "db")),
                  let last = UInt32(exactly: try InfoField.uint(object, "db-last-system-id", in: "db")) else {
                throw PGVError(.format, "invalid database '\(entry.key)' in section 'db'")
            }
            databases.append(Database(name: entry.key, id: id, lastSystemId: last))
        }
        self.databases = databases

        // Defaults sections come after the lists in the file; read them first and apply them to the lists.
        let fileDefaults = try Manifest.readDefaults(ini, "target:file:default", withMode: true)
        let linkDefaults = try Manifest.readDefaults(ini, "target:link:default", withMode: false)
        let pathDefaults = try Manifest.readDefaults(ini, "target:path:default", withMode: true)
        self.fileDefaults = fileDefaults
        self.linkDefaults = linkDefaults
        self.pathDefaults = pathDefaults

        var files: [ManifestFile] = []
        files.reserveCapacity(ini.entries(in: "target:file").count)
        // A set, not a search per file: a hostile manifest may list many references and many files.
        let referenceSet = Set(backup.references.map { Array($0.utf8) })
        var totalSize: UInt64 = 0
        var totalRepoSize: UInt64 = 0
        for entry in ini.entries(in: "target:file") {
            var (file, missing) = try ManifestFile.parse(name: entry.key, object: try InfoField.object(entry, section: "target:file"))
            try ManifestLimits.add(file.size, to: &totalSize, "size")
            try ManifestLimits.add(file.repoSize, to: &totalRepoSize, "repo-size")
            if missing.user || missing.group || missing.mode {
                guard let defaults = fileDefaults, let mode = defaults.mode else {
                    throw PGVError(.format, "missing section 'target:file:default'")
                }
                if missing.user { file.user = defaults.user }
                if missing.group { file.group = defaults.group }
                if missing.mode { file.mode = mode }
            }
            // No PostgreSQL file is setuid or setgid; a root restore would otherwise plant one with the manifest's owner.
            guard file.mode & 0o6000 == 0 else {
                throw PGVError(.format, "setuid or setgid mode \(ManifestMode.render(file.mode)) of '\(file.name)' in section 'target:file'")
            }
            if let reference = file.reference, !backup.references.isEmpty, !referenceSet.contains(Array(reference.utf8)) {
                throw PGVError(.format, "reference '\(reference)' of '\(file.name)' is not in backup-reference")
            }
            files.append(file)
        }
        self.files = files

        var links: [Link] = []
        for entry in ini.entries(in: "target:link") {
            try ManifestName.check(entry.key, section: "target:link")
            let object = try InfoField.object(entry, section: "target:link")
            let context = "target:link '\(entry.key)'"
            let user = try object["user"].map { try ManifestOwner(json: $0, context: context) } ?? linkDefaults?.user
            let group = try object["group"].map { try ManifestOwner(json: $0, context: context) } ?? linkDefaults?.group
            guard let user, let group else { throw PGVError(.format, "missing section 'target:link:default'") }
            links.append(Link(name: entry.key, destination: try InfoField.string(object, "destination", in: context),
                              user: user, group: group))
        }
        self.links = links

        var paths: [Path] = []
        for entry in ini.entries(in: "target:path") {
            try ManifestName.check(entry.key, section: "target:path", allowRoot: true)
            let object = try InfoField.object(entry, section: "target:path")
            let context = "target:path '\(entry.key)'"
            let user = try object["user"].map { try ManifestOwner(json: $0, context: context) } ?? pathDefaults?.user
            let group = try object["group"].map { try ManifestOwner(json: $0, context: context) } ?? pathDefaults?.group
            let mode = try object["mode"].map { try ManifestMode.parse($0, context: context) } ?? pathDefaults?.mode
            guard let user, let group, let mode else { throw PGVError(.format, "missing section 'target:path:default'") }
            paths.append(Path(name: entry.key, mode: mode, user: user, group: group))
        }
        self.paths = paths
        sortLists()
    }

    /// A `[backup]` timestamp within `ManifestLimits.timestamps`.
    private static func timestamp(_ ini: InfoIni, _ key: String) throws -> Int64 {
        try ManifestLimits.timestamp(try InfoField.int(ini, "backup", key), key, in: "section 'backup'")
    }

    private static func readDefaults(_ ini: InfoIni, _ section: String, withMode: Bool) throws -> Defaults? {
        guard ini.section(section) != nil else { return nil }
        let user = try ManifestOwner(json: try InfoField.value(ini, section, "user"), context: section)
        let group = try ManifestOwner(json: try InfoField.value(ini, section, "group"), context: section)
        let mode = withMode ? try ManifestMode.parse(try ini.value(section, "mode"), context: section) : nil
        return Defaults(user: user, group: group, mode: mode)
    }
}
