import VaultCore
import VaultRepository
import VaultStorage

/// The outcome of the last `verify` of a stanza on one repository, kept in the repository as
/// `backup/<stanza>/pgvault.verify.json` (`{"errors":N,"status":"ok"|"error","timestamp":T}`, plain JSON: it holds
/// no secret) so that `metrics` and `exporter` read it back. pgBackRest 2.45's info, verify and expire only look at
/// backup labels, `backup.info*` and `backup.history` there, so they ignore this file.
struct VerifyStatusFile: Sendable, Equatable {
    static let name = "pgvault.verify.json"

    /// True when verify found no error.
    var ok: Bool
    var errorCount: Int
    /// Unix seconds at the end of the run.
    var timestamp: Int64

    static func path(_ layout: RepositoryLayout) -> String { layout.backupPath + "/" + name }

    var rendered: String {
        let document: JsonValue = ["errors": .int(Int64(errorCount)), "status": .string(ok ? "ok" : "error"),
                                   "timestamp": .int(timestamp)]
        return document.rendered + "\n"
    }

    /// Parses the file; nil when it is not the expected JSON (a damaged file is reported as no status).
    init?(parsing bytes: [UInt8]) {
        guard let object = (try? JsonParser.parse(bytes))?.objectValue, let status = object["status"]?.stringValue,
              let timestamp = object["timestamp"]?.int64Value else { return nil }
        self.init(ok: status == "ok", errorCount: Int(object["errors"]?.int64Value ?? 0), timestamp: timestamp)
    }

    init(ok: Bool, errorCount: Int, timestamp: Int64) {
        self.ok = ok
        self.errorCount = errorCount
        self.timestamp = timestamp
    }

    /// Writes the file atomically (temp name, fsync, rename through the storage driver; one PUT on S3).
    func write(to repository: StanzaRepository) async throws {
        try await repository.storage.put(Self.path(repository.layout), Array(rendered.utf8))
    }

    /// The stored status, or nil when verify never ran (or the file is unreadable).
    static func read(from repository: StanzaRepository) async throws -> VerifyStatusFile? {
        guard let bytes = try await repository.storage.getIfExists(path(repository.layout)) else { return nil }
        return VerifyStatusFile(parsing: bytes)
    }
}
