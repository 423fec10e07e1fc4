import Testing
import VaultRepository
@testable import VaultCommands

@Suite struct VerifyJsonRendererTests {
    @Test func aCleanReportIsOk() {
        #expect(VerifyJsonRenderer.render(VerifyTextRendererTests.clean()) == #"""
            {"archive":[{"checksum-invalid":0,"duplicates":[],"gaps":[],"id":"15-1","invalid":[],"missing":0,"other":0,\#
            "ranges":[],"size-invalid":0,"status":"ok","total-checked":5,"total-valid":5}],"backup":[{"archive":\#
            {"start":null,"stop":null},"checksum-invalid":0,"invalid":[],"label":"20250101-010101F","manifest":[],\#
            "missing":0,"other":0,"size-invalid":0,"skipped":0,"status":"valid","total-checked":980,"total-valid":980,\#
            "wal-missing":[]}],"error-total":0,"info":[],"problems":[],"repo-key":1,"stanza":"main","status":"ok"}
            """#)
    }

    @Test func badFilesAreListedWithTheirReason() throws {
        var report = VerifyTextRendererTests.clean()
        report.archives[0].invalidFiles = [.init(path: "archive/main/15-1/0000000100000000/x", reason: .missing)]
        report.backups[0].status = .invalid
        report.backups[0].invalidFiles = [.init(path: "backup/main/F/pg_data/a", reason: .checksum, detail: "d")]
        report.backups[0].missingWal = [.init(start: "000000010000000000000003", stop: "000000010000000000000004")]
        let json = try #require(VerifyJsonRenderer.json(report).objectValue)
        #expect(json["status"] == .string("error"))
        #expect(json["error-total"] == .int(3))
        let archive = try #require(json["archive"]?.arrayValue?.first?.objectValue)
        #expect(archive["status"] == .string("error"))
        #expect(archive["missing"] == .int(1))
        #expect(archive["invalid"] == [["path": "archive/main/15-1/0000000100000000/x", "reason": "missing"]])
        let backup = try #require(json["backup"]?.arrayValue?.first?.objectValue)
        #expect(backup["status"] == .string("invalid"))
        #expect(backup["invalid"] == [["detail": "d", "path": "backup/main/F/pg_data/a", "reason": "checksum"]])
        #expect(backup["wal-missing"] == [["start": "000000010000000000000003", "stop": "000000010000000000000004"]])
    }
}
