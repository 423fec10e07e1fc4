import Testing
import VaultStorage
@testable import VaultCommands

@Suite struct RepoLsRendererTests {
    @Test func textIsTheNameAndANewline() {
        #expect(RepoLsRenderer.render(StorageInfo(name: "backup/main", type: .path), json: false) == "backup/main\n")
    }

    @Test func jsonCarriesSizeAndTimeForFilesAndDestinationForLinks() {
        #expect(RepoLsRenderer.render(StorageInfo(name: "backup.info", type: .file, size: 1234, modified: 1700000000),
                                      json: true) == #""backup.info":{"type":"file","size":1234,"time":1700000000}"#)
        #expect(RepoLsRenderer.render(StorageInfo(name: "latest", type: .link, linkDestination: "20240101-000000F"),
                                      json: true) == #""latest":{"type":"link","destination":"20240101-000000F"}"#)
        #expect(RepoLsRenderer.render(StorageInfo(name: ".", type: .path), json: true) == #"".":{"type":"path"}"#)
        #expect(RepoLsRenderer.render(StorageInfo(name: "fifo", type: .special), json: true)
            == #""fifo":{"type":"special"}"#)
    }

    @Test func jsonNamesAreEscaped() {
        #expect(RepoLsRenderer.render(StorageInfo(name: "a\"b", type: .path), json: true) == #""a\"b":{"type":"path"}"#)
    }
}
