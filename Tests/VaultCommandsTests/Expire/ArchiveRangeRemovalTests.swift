import Testing
import VaultRepository
@testable import VaultCommands

@Suite struct ArchiveRangeRemovalTests {
    static func seg(_ log: Int, _ seg: Int, tli: Int = 1) -> String {
        func hex8(_ v: Int) -> String {
            let text = String(v, radix: 16, uppercase: true)
            return String(repeating: "0", count: 8 - text.count) + text
        }
        return hex8(tli) + hex8(log) + hex8(seg)
    }
    static func file(_ segment: String) -> String { segment + "-" + String(repeating: "a", count: 40) + ".gz" }

    /// An older kept backup needs 0/3..0/4; the boundary backup starts at 2/10.
    static let removal = ArchiveRangeRemoval(
        archiveId: "15-1", boundaryLabel: "20240105-000000F", expireMax: seg(2, 0x10),
        ranges: [.init(label: "20240101-000000F", start: seg(0, 3), stop: seg(0, 4)),
                 .init(label: "20240105-000000F", start: seg(2, 0x10), stop: nil)])

    @Test func directoriesOutsideEveryRangeGoWholeAndOnlyThoseUpToTheBoundaryAreScanned() {
        let r = Self.removal
        #expect(!r.removesWhole("0000000100000000"))
        #expect(r.removesWhole("0000000100000001"))
        #expect(!r.removesWhole("0000000100000002"))
        #expect(!r.removesWhole("0000000100000003"))
        #expect(r.scans("0000000100000000"))
        #expect(r.scans("0000000100000002"))
        #expect(!r.scans("0000000100000003"))
        #expect(!r.scans("0000000100000001"))
    }

    @Test func segmentsOutsideTheRangesAreRemovedAndLoggedAsRanges() {
        let files: [String: [String]] = [
            "0000000100000000": (1...6).map { Self.file(Self.seg(0, $0)) } + [Self.seg(0, 3) + ".00000028.backup"],
            "0000000100000002": [Self.file(Self.seg(2, 0x0F)), Self.file(Self.seg(2, 0x10)), Self.file(Self.seg(2, 0x11))],
        ]
        let steps = Self.removal.steps(
            directories: ["0000000100000003", "0000000100000002", "0000000100000001", "0000000100000000"],
            files: files, repo: "repo1")
        #expect(steps == [
            .removeFile("0000000100000000/" + Self.file(Self.seg(0, 1))),
            .removeFile("0000000100000000/" + Self.file(Self.seg(0, 2))),
            .log("repo1: 15-1 remove archive, start = \(Self.seg(0, 1)), stop = \(Self.seg(0, 2))"),
            .removeFile("0000000100000000/" + Self.file(Self.seg(0, 5))),
            .removeFile("0000000100000000/" + Self.file(Self.seg(0, 6))),
            .removeDirectory("0000000100000001"),
            .removeFile("0000000100000002/" + Self.file(Self.seg(2, 0x0F))),
            // As pgBackRest 2.45: a whole directory restarts the pending range, so 0/5..0/6 is folded into it.
            .log("repo1: 15-1 remove archive, start = 0000000100000001, stop = \(Self.seg(2, 0x0F))"),
        ])
    }

    @Test func theBackupsOwnWalIsNeverRemoved() {
        let files = ["0000000100000000": (3...4).map { Self.file(Self.seg(0, $0)) }]
        let steps = Self.removal.steps(directories: ["0000000100000000"], files: files, repo: "repo1")
        #expect(steps == [.log("repo1: 15-1 no archive to remove")])
    }

    @Test func aTrailingRangeIsLoggedAtTheEnd() {
        let only = ArchiveRangeRemoval(archiveId: "15-1", boundaryLabel: "20240105-000000F", expireMax: Self.seg(0, 9),
                                       ranges: [.init(label: "20240105-000000F", start: Self.seg(0, 9), stop: nil)])
        let steps = only.steps(directories: ["0000000100000000"],
                               files: ["0000000100000000": [Self.file(Self.seg(0, 7)), Self.file(Self.seg(0, 8))]],
                               repo: "repo3")
        #expect(steps.last == .log("repo3: 15-1 remove archive, start = \(Self.seg(0, 7)), stop = \(Self.seg(0, 8))"))
        #expect(steps.count == 3)
    }

    @Test func rangeLinesNameEachKeptBackup() {
        #expect(Self.removal.rangeLines(repo: "repo1") == [
            "repo1: 15-1 archive retention on backup 20240101-000000F, start = \(Self.seg(0, 3)), stop = \(Self.seg(0, 4))",
            "repo1: 15-1 archive retention on backup 20240105-000000F, start = \(Self.seg(2, 0x10))",
        ])
    }

    @Test func historyFilesOfOlderTimelinesGo() {
        let removal = ArchiveRangeRemoval(archiveId: "15-1", boundaryLabel: "x", expireMax: Self.seg(0, 3, tli: 3),
                                          ranges: [])
        let steps = removal.historySteps(names: ["00000003.history", "00000002.history", "00000004.history",
                                                 "archive.info", "0000000100000000"], repo: "repo1")
        #expect(steps == [.removeFile("00000002.history"), .log("repo1: 15-1 remove history file 00000002.history")])
    }

    @Test func namesAreRecognised() {
        #expect(ArchiveRangeRemoval.isWalDirectory("000000010000000A"))
        #expect(!ArchiveRangeRemoval.isWalDirectory("000000010000000a"))
        #expect(!ArchiveRangeRemoval.isWalDirectory("00000001.history"))
        #expect(ArchiveRangeRemoval.isHistoryFile("0000000A.history"))
        #expect(!ArchiveRangeRemoval.isHistoryFile("0000000A.historyx"))
    }
}
