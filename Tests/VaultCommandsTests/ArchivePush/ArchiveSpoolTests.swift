import Foundation
import Testing
import VaultCore
import VaultStorage
@testable import VaultCommands

@Suite struct ArchiveSpoolTests {
    static let wal = "000000010000000000000001"

    @Test func emptyOkIsPlainSuccess() throws {
        #expect(try ArchiveSpool.parse([], fileName: "x.ok", isOk: true, walName: Self.wal) == .ok(warning: nil))
    }

    @Test func okWithZeroCodeCarriesAWarning() throws {
        let content = ArchiveSpool.okContent(warning: "dropped WAL file 'x'")
        #expect(String(decoding: content, as: UTF8.self) == "0\ndropped WAL file 'x'")
        #expect(try ArchiveSpool.parse(content, fileName: "x.ok", isOk: true, walName: Self.wal)
                == .ok(warning: "dropped WAL file 'x'"))
    }

    @Test func okWithAnErrorCodeWasSkippedByHand() throws {
        let status = try ArchiveSpool.parse(Array("45\nduplicate".utf8), fileName: "x.ok", isOk: true, walName: Self.wal)
        #expect(status == .ok(warning: "WAL segment '\(Self.wal)' was not pushed due to error [45] and was manually "
                              + "skipped: duplicate"))
    }

    @Test func errorFileRoundTripsCodeAndMessage() throws {
        let error = PGVError(.archiveDuplicate, "WAL file 'x' already exists")
        let content = ArchiveSpool.errorContent(error)
        #expect(String(decoding: content, as: UTF8.self) == "45\nWAL file 'x' already exists")
        let status = try ArchiveSpool.parse(content, fileName: "x.error", isOk: false, walName: Self.wal)
        #expect(status == .error(error))
    }

    @Test func unknownCodesKeepTheirNumber() throws {
        guard case .error(let error) = try ArchiveSpool.parse(Array("199\nodd\n".utf8), fileName: "global.error",
                                                              isOk: false, walName: Self.wal) else {
            Issue.record("not an error")
            return
        }
        #expect(error.code.rawValue == 199)
        #expect(error.message == "odd")
    }

    @Test(arguments: [
        ("", false, ErrorCode.assert, "status file 'x.error' has no content"),
        ("45", false, ErrorCode.format, "x.error content must have at least two lines"),
        ("45\n", false, ErrorCode.format, "x.error message must be > 0"),
        ("abc\nmessage", false, ErrorCode.format, "x.error code 'abc' is not a number"),
    ])
    func malformedFilesAreRefused(content: String, isOk: Bool, code: ErrorCode, message: String) {
        #expect(throws: PGVError(code, message)) {
            try ArchiveSpool.parse(Array(content.utf8), fileName: "x.error", isOk: isOk, walName: Self.wal)
        }
    }

    @Test func statusReadsOkThenFileErrorThenGlobalError() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spool = try ArchiveSpool(spoolPath: directory, stanza: "main")
        try await spool.create(.out)
        #expect(try await spool.status(.out, walName: Self.wal) == nil)
        try await spool.writeError(.out, walName: nil, PGVError(.repoInvalid, "no repo"))
        #expect(try await spool.status(.out, walName: Self.wal) == .error(PGVError(.repoInvalid, "no repo")))
        try await spool.writeError(.out, walName: Self.wal, PGVError(.archiveDuplicate, "dup"))
        #expect(try await spool.status(.out, walName: Self.wal) == .error(PGVError(.archiveDuplicate, "dup")))
        try await spool.writeOk(.out, walName: Self.wal)
        #expect(try await spool.status(.out, walName: Self.wal) == .ok(warning: nil))
        try await spool.clearErrors(.out, walName: Self.wal)
        #expect(try await spool.list(.out) == [Self.wal + ".ok"])
    }

    @Test func moveInRenamesTheQueuedSegment() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spool = try ArchiveSpool(spoolPath: directory, stanza: "main")
        try await spool.create(.in)
        try await spool.storage.put(spool.path(.in, Self.wal), [1, 2, 3])
        try await spool.moveIn(walName: Self.wal, to: directory + "/restored")
        #expect(try await spool.list(.in).isEmpty)
        #expect(try await PosixStorage(root: directory).get("restored") == [1, 2, 3])
    }

    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("spool-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
