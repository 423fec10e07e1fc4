import VaultCore

/// One `[target:file]` entry of a manifest (reference §2.6), with the defaults already applied: `checksum` is
/// the SHA-1 of empty content for a zero-length file written without one, and `repoSize` equals `size` when the
/// file has no `repo-size`. On write, values equal to a default are omitted again.
public struct ManifestFile: Sendable, Equatable {
    /// `pg_data/...` or `pg_tblspc/<oid>/PG_.../...`.
    public var name: String
    /// Original size in bytes (as copied).
    public var size: UInt64
    /// Modification time, unix seconds.
    public var timestamp: Int64
    /// SHA-1 of the original content.
    public var checksum: String
    /// Page checksums checked: true when all valid, false on errors; nil when not checked.
    public var checksumPage: Bool?
    /// Page numbers or `[first,last]` ranges with errors.
    public var checksumPageError: JsonValue?
    /// Bundle id when the file is stored in `bundle/<id>`.
    public var bundleId: UInt64?
    /// Offset inside the bundle.
    public var bundleOffset: UInt64 = 0
    /// SHA-1 of the stored bytes, when they differ from the original (compressed or encrypted).
    public var repoChecksum: String?
    /// Label of the earlier backup that holds the file.
    public var reference: String?
    /// Stored size.
    public var repoSize: UInt64
    public var mode: UInt32
    public var user: ManifestOwner
    public var group: ManifestOwner
    /// Block-incremental fields (2.45 beta `bi`, `bic`, `bim`), passed through unchanged.
    public var blockIncrSize: UInt64?
    public var blockIncrChecksumSize: UInt64?
    public var blockIncrMapSize: UInt64?

    public init(name: String, size: UInt64, timestamp: Int64, checksum: String? = nil, repoSize: UInt64? = nil,
                mode: UInt32, user: ManifestOwner, group: ManifestOwner) {
        self.name = name
        self.size = size
        self.timestamp = timestamp
        self.checksum = checksum ?? RepositoryFormat.emptySHA1
        self.repoSize = repoSize ?? size
        self.mode = mode
        self.user = user
        self.group = group
    }

    /// The JSON object written for this file, omitting values equal to `defaults`.
    func json(defaults: Manifest.Defaults) -> JsonValue {
        var object = JsonObject()
        if let blockIncrSize { object["bi"] = .uint(blockIncrSize) }
        if let blockIncrChecksumSize { object["bic"] = .uint(blockIncrChecksumSize) }
        if let blockIncrMapSize { object["bim"] = .uint(blockIncrMapSize) }
        if let bundleId { object["bni"] = .uint(bundleId) }
        if bundleOffset != 0 { object["bno"] = .uint(bundleOffset) }
        if size != 0 { object["checksum"] = .string(checksum) }
        if let checksumPage { object["checksum-page"] = .bool(checksumPage) }
        if let checksumPageError { object["checksum-page-error"] = checksumPageError }
        if group != defaults.group { object["group"] = group.json }
        if mode != defaults.mode { object["mode"] = .string(ManifestMode.render(mode)) }
        if let repoChecksum { object["rck"] = .string(repoChecksum) }
        if let reference { object["reference"] = .string(reference) }
        if repoSize != size { object["repo-size"] = .uint(repoSize) }
        object["size"] = .uint(size)
        object["timestamp"] = .int(timestamp)
        if user != defaults.user { object["user"] = user.json }
        return .object(object)
    }

    /// Reads an entry; user, group and mode are nil here when absent and are filled from the defaults later.
    static func parse(name: String, object: JsonObject) throws -> (ManifestFile, missingOwner: (user: Bool, group: Bool, mode: Bool)) {
        let section = "target:file"
        try ManifestName.check(name, section: section)
        let context = "\(section) '\(name)'"
        let size = try InfoField.uint(object, "size", in: context)
        let repoSize = try InfoField.optionalUInt(object, "repo-size", in: context)
        guard size <= ManifestLimits.maxFileSize, (repoSize ?? 0) <= ManifestLimits.maxFileSize else {
            throw PGVError(.format, "invalid size for '\(name)' in section '\(section)'")
        }
        let checksum = try InfoField.optionalString(object, "checksum", in: context)
        if let checksum, !ManifestName.isSHA1(checksum) {
            throw PGVError(.format, "invalid checksum for '\(name)' in section '\(section)'")
        }
        guard checksum != nil || size == 0 else {
            throw PGVError(.format, "missing checksum for '\(name)' in section '\(section)'")
        }
        let timestamp = try InfoField.int(object, "timestamp", in: context)
        var file = ManifestFile(name: name, size: size,
                                timestamp: try ManifestLimits.timestamp(timestamp, "timestamp", in: context),
                                checksum: checksum, repoSize: repoSize, mode: 0, user: .unmapped, group: .unmapped)
        file.checksumPage = try InfoField.optionalBool(object, "checksum-page", in: context)
        if let errors = object["checksum-page-error"] {
            guard errors.arrayValue != nil else { throw InfoField.missing(context, "checksum-page-error") }
            file.checksumPageError = errors
        }
        file.bundleId = try InfoField.optionalUInt(object, "bni", in: context)
        /// An optional byte count or offset, at most `ManifestLimits.maxFileSize` (`bno` becomes an `off_t`).
        func bounded(_ key: String) throws -> UInt64? {
            try InfoField.optionalUInt(object, key, in: context).map { try ManifestLimits.fileSize($0, key, in: context) }
        }
        file.bundleOffset = try bounded("bno") ?? 0
        file.repoChecksum = try InfoField.optionalString(object, "rck", in: context)
        if let rck = file.repoChecksum, !ManifestName.isSHA1(rck) {
            throw PGVError(.format, "invalid rck for '\(name)' in section '\(section)'")
        }
        file.reference = try InfoField.optionalString(object, "reference", in: context)
        if let reference = file.reference, !BackupLabel.isValid(reference) {
            throw PGVError(.format, "invalid reference '\(reference)' for '\(name)' in section '\(section)'")
        }
        file.blockIncrSize = try bounded("bi")
        file.blockIncrChecksumSize = try bounded("bic")
        file.blockIncrMapSize = try bounded("bim")
        if let user = object["user"] { file.user = try ManifestOwner(json: user, context: context) }
        if let group = object["group"] { file.group = try ManifestOwner(json: group, context: context) }
        if object["mode"] != nil { file.mode = try ManifestMode.parse(object["mode"], context: context) }
        return (file, (object["user"] == nil, object["group"] == nil, object["mode"] == nil))
    }
}
