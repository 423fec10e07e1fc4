import VaultCore

extension BackupInfo {
    /// One `[backup:current]` entry of backup.info (reference §2.5). Rendered with every key in byte order; the
    /// archive start/stop are always written (`null` for offline backups); `backup-reference` is an array of the
    /// labels the backup depends on, without its own label.
    public struct Entry: Sendable, Equatable {
        public var label: String
        public var backrestFormat: Int64 = RepositoryFormat.format
        public var backrestVersion: String = RepositoryFormat.backrestVersion
        /// `--annotation` key/values.
        public var annotation: JsonObject?
        public var archiveStart: String?
        public var archiveStop: String?
        /// True when a page-checksum error was found; nil when not recorded (older backups), then not written.
        public var error: Bool?
        public var repoSize: UInt64 = 0
        public var repoSizeDelta: UInt64 = 0
        /// Block-incremental map sizes (2.45 beta), passed through when present.
        public var repoSizeMap: UInt64?
        public var repoSizeMapDelta: UInt64?
        public var size: UInt64 = 0
        public var sizeDelta: UInt64 = 0
        public var lsnStart: String?
        public var lsnStop: String?
        public var prior: String?
        public var references: [String]?
        public var timestampStart: Int64 = 0
        public var timestampStop: Int64 = 0
        public var type: BackupType
        public var dbId: UInt32
        public var optionArchiveCheck = true
        public var optionArchiveCopy = false
        public var optionBackupStandby = false
        public var optionChecksumPage = false
        public var optionCompress = true
        public var optionHardlink = false
        public var optionOnline = true

        public init(label: String, type: BackupType, dbId: UInt32) {
            self.label = label
            self.type = type
            self.dbId = dbId
        }

        /// The entry a completed manifest adds to backup.info: sizes summed over its files (a file without a
        /// repo size counts its size; the `-delta` sums skip referenced files), `backup-error` from page-checksum
        /// results, references (sorted, own label excluded) and prior for diff/incr.
        public init(manifest: Manifest) {
            let backup = manifest.backup
            self.init(label: backup.label, type: backup.type, dbId: manifest.db.id)
            backrestVersion = manifest.writerVersion ?? RepositoryFormat.backrestVersion
            annotation = manifest.annotation
            archiveStart = backup.archiveStart
            archiveStop = backup.archiveStop
            lsnStart = backup.lsnStart
            lsnStop = backup.lsnStop
            timestampStart = backup.timestampStart
            timestampStop = backup.timestampStop ?? backup.timestampStart
            var hasError = false
            for file in manifest.files {
                size += file.size
                repoSize += file.repoSize
                if file.reference == nil {
                    sizeDelta += file.size
                    repoSizeDelta += file.repoSize
                }
                if file.checksumPage == false { hasError = true }
            }
            error = hasError
            if backup.type != .full {
                prior = backup.prior
                references = backup.references.filter { !ByteOrder.same($0, backup.label) }
                    .sorted { ByteOrder.precedes($0, $1) }
            }
            let options = manifest.options
            optionArchiveCheck = options.archiveCheck
            optionArchiveCopy = options.archiveCopy
            optionBackupStandby = options.backupStandby ?? false
            optionChecksumPage = options.checksumPage ?? false
            optionCompress = options.compressType != .none
            optionHardlink = options.hardlink
            optionOnline = options.online
        }

        var json: JsonValue {
            var object = JsonObject()
            object["backrest-format"] = .int(backrestFormat)
            object["backrest-version"] = .string(backrestVersion)
            if let annotation { object["backup-annotation"] = .object(annotation) }
            object["backup-archive-start"] = archiveStart.map(JsonValue.string) ?? .null
            object["backup-archive-stop"] = archiveStop.map(JsonValue.string) ?? .null
            if let error { object["backup-error"] = .bool(error) }
            object["backup-info-repo-size"] = .uint(repoSize)
            object["backup-info-repo-size-delta"] = .uint(repoSizeDelta)
            if let repoSizeMap { object["backup-info-repo-size-map"] = .uint(repoSizeMap) }
            if let repoSizeMapDelta { object["backup-info-repo-size-map-delta"] = .uint(repoSizeMapDelta) }
            object["backup-info-size"] = .uint(size)
            object["backup-info-size-delta"] = .uint(sizeDelta)
            if let lsnStart { object["backup-lsn-start"] = .string(lsnStart) }
            if let lsnStop { object["backup-lsn-stop"] = .string(lsnStop) }
            if let prior { object["backup-prior"] = .string(prior) }
            if let references { object["backup-reference"] = .array(references.map(JsonValue.string)) }
            object["backup-timestamp-start"] = .int(timestampStart)
            object["backup-timestamp-stop"] = .int(timestampStop)
            object["backup-type"] = .string(type.rawValue)
            object["db-id"] = .uint(UInt64(dbId))
            object["option-archive-check"] = .bool(optionArchiveCheck)
            object["option-archive-copy"] = .bool(optionArchiveCopy)
            object["option-backup-standby"] = .bool(optionBackupStandby)
            object["option-checksum-page"] = .bool(optionChecksumPage)
            object["option-compress"] = .bool(optionCompress)
            object["option-hardlink"] = .bool(optionHardlink)
            object["option-online"] = .bool(optionOnline)
            return .object(object)
        }

        init(label: String, json object: JsonObject) throws {
            let context = "backup:current"
            let backupContext = "backup '\(label)'"
            guard BackupLabel.isValid(label) else {
                throw PGVError(.format, "invalid backup label '\(label)' in section 'backup:current'")
            }
            let typeText = try InfoField.string(object, "backup-type", in: context)
            guard let type = BackupType(rawValue: typeText) else {
                throw PGVError(.format, "invalid backup-type '\(typeText)' for backup '\(label)'")
            }
            guard let dbId = UInt32(exactly: try InfoField.uint(object, "db-id", in: context)) else {
                throw InfoField.missing(context, "db-id")
            }
            self.init(label: label, type: type, dbId: dbId)
            backrestFormat = try InfoField.int(object, "backrest-format", in: context)
            backrestVersion = try InfoField.string(object, "backrest-version", in: context)
            if let value = object["backup-annotation"] {
                guard let annotation = value.objectValue else { throw InfoField.missing(context, "backup-annotation") }
                self.annotation = annotation
            }
            archiveStart = try InfoField.optionalString(object, "backup-archive-start", in: context)
            archiveStop = try InfoField.optionalString(object, "backup-archive-stop", in: context)
            error = try InfoField.optionalBool(object, "backup-error", in: context)
            repoSize = try ManifestLimits.total(object, "backup-info-repo-size", in: context, of: backupContext)
            repoSizeDelta = try ManifestLimits.total(object, "backup-info-repo-size-delta", in: context, of: backupContext)
            repoSizeMap = try InfoField.optionalUInt(object, "backup-info-repo-size-map", in: context)
            repoSizeMapDelta = try InfoField.optionalUInt(object, "backup-info-repo-size-map-delta", in: context)
            size = try ManifestLimits.total(object, "backup-info-size", in: context, of: backupContext)
            sizeDelta = try ManifestLimits.total(object, "backup-info-size-delta", in: context, of: backupContext)
            lsnStart = try InfoField.optionalString(object, "backup-lsn-start", in: context)
            lsnStop = try InfoField.optionalString(object, "backup-lsn-stop", in: context)
            prior = try InfoField.optionalString(object, "backup-prior", in: context)
            if let prior, !BackupLabel.isValid(prior) {
                throw PGVError(.format, "invalid backup-prior '\(prior)' for backup '\(label)'")
            }
            if let value = object["backup-reference"] {
                guard let items = value.arrayValue else { throw InfoField.missing(context, "backup-reference") }
                references = try items.map { item in
                    guard let text = item.stringValue, BackupLabel.isValid(text) else {
                        throw PGVError(.format, "invalid backup-reference for backup '\(label)'")
                    }
                    return text
                }
            }
            // Bounded so that durations (stop - start) and dates of a hostile file cannot overflow.
            timestampStart = try ManifestLimits.timestamp(try InfoField.int(object, "backup-timestamp-start", in: context),
                                                          "backup-timestamp-start", in: backupContext)
            timestampStop = try ManifestLimits.timestamp(try InfoField.int(object, "backup-timestamp-stop", in: context),
                                                         "backup-timestamp-stop", in: backupContext)
            optionArchiveCheck = try InfoField.bool(object, "option-archive-check", in: context)
            optionArchiveCopy = try InfoField.bool(object, "option-archive-copy", in: context)
            optionBackupStandby = try InfoField.bool(object, "option-backup-standby", in: context)
            optionChecksumPage = try InfoField.bool(object, "option-checksum-page", in: context)
            optionCompress = try InfoField.bool(object, "option-compress", in: context)
            optionHardlink = try InfoField.bool(object, "option-hardlink", in: context)
            optionOnline = try InfoField.bool(object, "option-online", in: context)
        }
    }
}
