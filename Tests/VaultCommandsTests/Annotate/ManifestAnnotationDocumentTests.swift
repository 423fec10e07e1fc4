import Testing
import VaultRepository
@testable import VaultCommands

@Suite struct ManifestAnnotationDocumentTests {
    /// A manifest text with an unknown section and key, which a rewrite must keep.
    func manifestIni() throws -> InfoIni {
        var ini = InfoIni()
        ini.set("backup", "backup-label", .string("20240101-000000F"))
        ini.set("backup", "backup-future-key", .string("kept"))
        ini.set("zz:future", "k", .int(1))
        return try InfoIni.parse(ini.render())
    }

    @Test func settingAndRemovingTheAnnotationKeepsEverythingElse() throws {
        var document = try ManifestAnnotationDocument(ini: try manifestIni())
        #expect(document.annotation == nil)
        var annotation = JsonObject()
        annotation["b"] = .string("2")
        annotation["a"] = .string("1")
        document.setAnnotation(annotation)
        let text = String(decoding: document.render(), as: UTF8.self)
        #expect(text.contains("[metadata]\nannotation={\"a\":\"1\",\"b\":\"2\"}\n"))
        #expect(text.contains("backup-future-key=\"kept\"\n"))
        #expect(text.contains("[zz:future]\nk=1\n"))
        let reread = try ManifestAnnotationDocument.parse(document.render())
        #expect(reread.annotation == annotation)

        document.setAnnotation(nil)
        let removed = String(decoding: document.render(), as: UTF8.self)
        #expect(!removed.contains("[metadata]"))
        #expect(try ManifestAnnotationDocument.parse(document.render()).document == (try manifestIni()))
    }
}
