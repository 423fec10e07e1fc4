import VaultRepository

/// `verify --output=json` (pgvault's own; 2.45 has no JSON for verify): one object with the stanza, `status`
/// (`ok`/`error`), the error total, top-level problems, bad info files, and per archive id and per backup the counts
/// and the named bad files with their reason. Keys are in byte order, rendered compactly like pgBackRest's JSON.
public enum VerifyJsonRenderer {
    public static func json(_ report: VerifyReport) -> JsonValue {
        var root = JsonObject()
        root["stanza"] = .string(report.stanza)
        root["repo-key"] = .int(Int64(report.repo))
        root["status"] = .string(report.status.rawValue)
        root["error-total"] = .int(Int64(report.errorCount))
        root["problems"] = .array(report.problems.map(JsonValue.string))
        root["info"] = .array(report.infoFiles.map(file))
        root["archive"] = .array(report.archives.map(archive))
        root["backup"] = .array(report.backups.map(backup))
        return .object(root)
    }

    public static func render(_ report: VerifyReport) -> String { json(report).rendered }

    static func file(_ file: VerifyReport.InvalidFile) -> JsonValue {
        var object = JsonObject()
        object["path"] = .string(file.path)
        object["reason"] = .string(file.reason.rawValue)
        if let detail = file.detail { object["detail"] = .string(detail) }
        return .object(object)
    }

    static func ranges(_ ranges: [VerifyReport.WalRange]) -> JsonValue {
        .array(ranges.map { ["start": .string($0.start), "stop": .string($0.stop)] })
    }

    static func counts(_ counts: VerifyReport.ReasonCounts, into object: inout JsonObject) {
        object["missing"] = .int(Int64(counts.missing))
        object["checksum-invalid"] = .int(Int64(counts.checksum))
        object["size-invalid"] = .int(Int64(counts.size))
        object["other"] = .int(Int64(counts.other))
    }

    static func archive(_ result: VerifyReport.ArchiveResult) -> JsonValue {
        var object = JsonObject()
        object["id"] = .string(result.archiveId)
        object["status"] = .string(result.hasErrors ? "error" : "ok")
        object["total-checked"] = .int(Int64(result.totalChecked))
        object["total-valid"] = .int(Int64(result.totalValid))
        counts(result.counts, into: &object)
        object["ranges"] = ranges(result.ranges)
        object["gaps"] = ranges(result.gaps)
        object["duplicates"] = .array(result.duplicates.map(JsonValue.string))
        object["invalid"] = .array(result.invalidFiles.map(file))
        return .object(object)
    }

    static func backup(_ result: VerifyReport.BackupResult) -> JsonValue {
        var object = JsonObject()
        object["label"] = .string(result.label)
        object["status"] = .string(result.status.rawValue)
        object["total-checked"] = .int(Int64(result.totalChecked))
        object["total-valid"] = .int(Int64(result.totalValid))
        object["skipped"] = .int(Int64(result.skipped))
        counts(result.counts, into: &object)
        object["archive"] = ["start": result.archiveStart.map(JsonValue.string) ?? .null,
                             "stop": result.archiveStop.map(JsonValue.string) ?? .null]
        object["manifest"] = .array(result.manifestProblems.map(file))
        object["invalid"] = .array(result.invalidFiles.map(file))
        object["wal-missing"] = ranges(result.missingWal)
        return .object(object)
    }
}
