import Glibc
import VaultCore
import VaultStorage

/// The spool of asynchronous archiving, laid out as pgBackRest 2.45 lays it out so both tools can share it:
/// `<spool-path>/archive/<stanza>/out` holds archive-push's status files, `.../in` archive-get's prefetched segments
/// and status files. A status file is `<wal>.ok` (empty, or `0\n<warning>`), `<wal>.error` or `global.error`
/// (`<code>\n<message>`). Files are written through `PosixStorage` (temp name, fsync, rename, directory fsync).
struct ArchiveSpool: Sendable {
    enum Queue: String, Sendable {
        case out
        case `in`
    }

    /// What a status file says about one WAL file.
    enum Status: Sendable, Equatable {
        /// Pushed (out), or not found in any repository (in, without the segment); with an optional warning.
        case ok(warning: String?)
        /// The worker failed on this file (or globally); the foreground fails with this error.
        case error(PGVError)
    }

    static let okExtension = ".ok"
    static let errorExtension = ".error"
    static let globalErrorName = "global"

    /// `<spool-path>/archive/<stanza>`.
    let root: String
    /// Storage rooted at `root`: paths are `out/<name>`, `in/<name>`.
    let storage: PosixStorage

    init(spoolPath: String, stanza: String) throws {
        root = spoolPath + "/archive/" + stanza
        storage = try PosixStorage(root: root)
    }

    /// The queue directory, relative to `storage`.
    func path(_ queue: Queue) -> String { queue.rawValue }

    /// A file of the queue, relative to `storage`.
    func path(_ queue: Queue, _ name: String) -> String { queue.rawValue + "/" + name }

    /// The queue directory as an absolute path.
    func absolutePath(_ queue: Queue) -> String { root + "/" + queue.rawValue }

    // MARK: status file content (pure)

    /// The content of an `.ok` file: empty, or `0\n<warning>`.
    static func okContent(warning: String?) -> [UInt8] {
        warning.map { Array("0\n\($0)".utf8) } ?? []
    }

    /// The content of an `.error` file: `<code>\n<message>`.
    static func errorContent(_ error: PGVError) -> [UInt8] {
        Array("\(error.code.rawValue)\n\(error.message)".utf8)
    }

    /// Parses a status file as pgBackRest's `archiveAsyncStatus` does: an empty file is a plain ok (an empty error
    /// file is AssertError [025]); otherwise the first line is the code and the rest, trimmed, the message, which
    /// must not be empty (FormatError [029]). An `.ok` with a non-zero code is an error file renamed by hand to
    /// skip a segment: it becomes a warning that says so.
    static func parse(_ content: [UInt8], fileName: String, isOk: Bool, walName: String) throws -> Status {
        let text = String(decoding: content, as: UTF8.self)
        if text.isEmpty {
            if isOk { return .ok(warning: nil) }
            throw PGVError(.assert, "status file '\(fileName)' has no content")
        }
        guard let newline = text.firstIndex(of: "\n") else {
            throw PGVError(.format, "\(fileName) content must have at least two lines")
        }
        let message = trimmed(text[text.index(after: newline)...])
        guard !text[text.index(after: newline)...].isEmpty else {
            throw PGVError(.format, "\(fileName) message must be > 0")
        }
        guard let code = Int32(trimmed(text[..<newline])) else {
            throw PGVError(.format, "\(fileName) code '\(text[..<newline])' is not a number")
        }
        if isOk {
            if code == 0 { return .ok(warning: message) }
            return .ok(warning: "WAL segment '\(walName)' was not pushed due to error [\(code)] and was manually "
                + "skipped: \(message)")
        }
        return .error(PGVError(ErrorCode.known(code), message))
    }

    /// `text` without leading and trailing whitespace and newlines (pgBackRest's `strTrim`).
    private static func trimmed(_ text: Substring) -> String {
        String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    // MARK: I/O

    /// The status of `walName` in `queue`: its `.ok`, else its `.error`, else `global.error`; nil when none exists.
    func status(_ queue: Queue, walName: String) async throws -> Status? {
        let ok = walName + Self.okExtension
        if let content = try await storage.getIfExists(path(queue, ok)) {
            return try Self.parse(content, fileName: ok, isOk: true, walName: walName)
        }
        for name in [walName, Self.globalErrorName] {
            let file = name + Self.errorExtension
            if let content = try await storage.getIfExists(path(queue, file)) {
                return try Self.parse(content, fileName: file, isOk: false, walName: walName)
            }
        }
        return nil
    }

    /// Writes `<walName>.ok`, durably, replacing any earlier one.
    func writeOk(_ queue: Queue, walName: String, warning: String? = nil) async throws {
        try await storage.put(path(queue, walName + Self.okExtension), Self.okContent(warning: warning))
    }

    /// Writes `<walName>.error`, or `global.error` when `walName` is nil.
    func writeError(_ queue: Queue, walName: String?, _ error: PGVError) async throws {
        let name = (walName ?? Self.globalErrorName) + Self.errorExtension
        try await storage.put(path(queue, name), Self.errorContent(error))
    }

    /// Removes `<walName>.error` and `global.error` (before a worker is started for `walName`).
    func clearErrors(_ queue: Queue, walName: String) async throws {
        try await remove(queue, walName + Self.errorExtension)
        try await remove(queue, Self.globalErrorName + Self.errorExtension)
    }

    /// The names in `queue` (files only), sorted; empty when the directory does not exist.
    func list(_ queue: Queue) async throws -> [String] {
        guard try await storage.pathExists(path(queue)) else { return [] }
        return try await storage.list(path(queue)).filter { $0.type == .file }.map(\.name).sorted()
    }

    func remove(_ queue: Queue, _ name: String) async throws {
        try await storage.remove(path(queue, name), errorOnMissing: false)
    }

    func create(_ queue: Queue) async throws {
        try await storage.pathCreate(path(queue), mode: 0o750)
    }

    /// Moves `in/<walName>` to `destination` with `rename(2)`; across file systems (EXDEV) it is copied and removed.
    func moveIn(walName: String, to destination: String) async throws {
        let source = absolutePath(.in) + "/" + walName
        let renamed = try await BlockingPool.shared.run { () -> Bool in
            if rename(source, destination) == 0 { return true }
            let code = errno
            if code == EXDEV { return false }
            throw PGVError(.fileMove, "unable to move '\(source)' to '\(destination)': \(StorageError.errnoText(code))")
        }
        if renamed { return }
        let (directory, name) = ArchiveCommandPath.split(destination)
        let target = try PosixStorage(root: directory)
        try await target.put(name, try await storage.get(path(.in, walName)),
                             options: StorageWriteOptions(atomic: true, sync: false, createPath: false))
        try await remove(.in, walName)
    }
}

extension ErrorCode {
    /// The code read back from a status file, named when it is one pgvault knows.
    static func known(_ code: Int32) -> ErrorCode {
        let codes: [ErrorCode] = [
            .assert, .checksum, .fileInvalid, .format, .fileOpen, .fileRead, .archiveMismatch, .archiveDuplicate,
            .lockAcquire, .fileMissing, .stop, .archiveTimeout, .crypto, .repoInvalid, .command, .fileWrite,
            .fileMove, .unhandled,
        ]
        return codes.first { $0.rawValue == code } ?? ErrorCode(code, "UnknownError")
    }
}
