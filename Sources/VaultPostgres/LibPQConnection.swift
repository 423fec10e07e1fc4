import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VaultCore

/// One libpq connection (`PGconn`). Not thread-safe: `DatabaseSession` touches it only from its own single-thread
/// `BlockingPool`, which is what makes the `@unchecked Sendable` sound.
final class LibPQConnection: @unchecked Sendable {
    let conninfo: String
    private var handle: OpaquePointer?

    init(conninfo: String) { self.conninfo = conninfo }

    /// Connects with `PQconnectdb`, silences NOTICE output with an empty `PQsetNoticeProcessor` and returns
    /// `PQserverVersion` (`150004`).
    ///
    /// - Throws: `dbConnect` [056] with libpq's `PQerrorMessage` when `PQstatus` is not `CONNECTION_OK`.
    func open() throws -> Int {
        let connection = PQconnectdb(conninfo)
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let reason = connection.map { Self.oneLine(String(cString: PQerrorMessage($0))) } ?? "out of memory"
            PQfinish(connection)
            throw PGVError(.dbConnect, "unable to connect to '\(conninfo)': \(reason)",
                           hint: "is PostgreSQL running? check pg1-socket-path and pg1-port (and pg1-user, pg1-database, the PG* environment variables)")
        }
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
        return Int(PQserverVersion(connection))
    }

    /// Runs `sql` with text parameters through `PQexecParams`, asking for text results, and returns every row
    /// (NULL as nil).
    ///
    /// - Throws: `dbQuery` [057] with the SQLSTATE and primary message when the result status is neither
    ///   `PGRES_TUPLES_OK` nor `PGRES_COMMAND_OK`, or when the connection is closed.
    func execute(_ sql: String, _ parameters: [String?]) throws -> [[String?]] {
        guard let handle else { throw PGVError(.dbQuery, "unable to execute query '\(sql)': the database session is closed") }
        let cStrings: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.flatMap { strdup($0) } }
        defer { cStrings.forEach { free($0) } }
        let values: [UnsafePointer<CChar>?] = cStrings.map { $0.map { UnsafePointer($0) } }
        let result = values.withUnsafeBufferPointer { buffer in
            PQexecParams(handle, sql, Int32(parameters.count), nil, buffer.baseAddress, nil, nil, 0)
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            throw queryError(sql, result)
        }
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        var rows: [[String?]] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                values.append(PQgetisnull(result, row, column) != 0 ? nil : String(cString: PQgetvalue(result, row, column)))
            }
            rows.append(values)
        }
        return rows
    }

    /// Closes the connection with `PQfinish`; safe to call twice.
    func finish() {
        PQfinish(handle)
        handle = nil
    }

    private func queryError(_ sql: String, _ result: OpaquePointer?) -> PGVError {
        let field = { (code: Character) -> String? in
            guard let result, let value = PQresultErrorField(result, Int32(code.asciiValue ?? 0)) else { return nil }
            return String(cString: value)
        }
        let message = field("M") ?? handle.map { Self.oneLine(String(cString: PQerrorMessage($0))) } ?? "unknown error"
        let state = field("C").map { "[\($0)] " } ?? ""
        return PGVError(.dbQuery, "unable to execute query '\(sql)': \(state)\(Self.oneLine(message))")
    }

    /// libpq messages span lines (`...failed: ...\n\tIs the server running...`); pgvault errors are one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: " \t") }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> Substring {
        var text = self
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return text
    }
}
