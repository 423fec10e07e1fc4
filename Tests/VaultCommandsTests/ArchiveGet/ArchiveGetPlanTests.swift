import Testing
import VaultCore
import VaultIO
import VaultRepository
@testable import VaultCommands

@Suite struct ArchiveGetPlanTests {
    static let sha = String(repeating: "a", count: 40)
    static let otherSha = String(repeating: "c", count: 40)

    @Test func archiveIdsMatchingTheClusterNewestFirst() {
        var info = ArchiveInfo(systemId: 1, version: "14")
        info.addHistory(systemId: 2, version: "15")   // 15-2
        info.addHistory(systemId: 3, version: "15")   // 15-3: another cluster
        info.addHistory(systemId: 2, version: "15")   // 15-4: the first 15 cluster again (stanza-upgrade back)
        #expect(ArchiveGetPlan.archiveIds(info, version: "15", systemId: 2) == ["15-4", "15-2"])
        #expect(ArchiveGetPlan.archiveIds(info, version: "14", systemId: 1) == ["14-1"])
        #expect(ArchiveGetPlan.archiveIds(info, version: "16", systemId: 2).isEmpty)
    }

    @Test func segmentCandidatesAreOfTheSameKindOnly() {
        let listed = [
            "000000010000000000000001-\(Self.sha).lz4",
            "000000010000000000000001.partial-\(Self.otherSha)",
            "000000010000000000000002-\(Self.otherSha).gz",
            "000000010000000000000001.00000028.backup",
            "000000010000000000000001-\(Self.sha).lz4.pgbackrest.tmp",
        ]
        #expect(ArchiveGetPlan.segmentCandidates(name: "000000010000000000000001", listed: listed)
                == [WalArchiveName(segment: "000000010000000000000001", sha1: Self.sha, compressType: .lz4)])
        #expect(ArchiveGetPlan.segmentCandidates(name: "000000010000000000000001.partial", listed: listed)
                == [WalArchiveName(segment: "000000010000000000000001", partial: true, sha1: Self.otherSha,
                                   compressType: .none)])
        #expect(ArchiveGetPlan.segmentCandidates(name: "000000010000000000000003", listed: listed).isEmpty)
    }

    @Test func chooseOneCopyOrFailOnDistinctChecksums() throws {
        let a = WalArchiveName(segment: "000000010000000000000001", sha1: Self.sha, compressType: .lz4)
        let sameShaOtherCompression = WalArchiveName(segment: "000000010000000000000001", sha1: Self.sha, compressType: .gz)
        let c = WalArchiveName(segment: "000000010000000000000001", sha1: Self.otherSha, compressType: .lz4)
        func choose(_ candidates: [WalArchiveName]) throws -> WalArchiveName? {
            try ArchiveGetPlan.choose(name: "000000010000000000000001", candidates: candidates, archiveId: "15-1",
                                      directory: "0000000100000000", repoLabel: "repo1")
        }
        #expect(try choose([]) == nil)
        #expect(try choose([a]) == a)
        #expect(try choose([a, sameShaOtherCompression]) == a)
        #expect(throws: PGVError(.archiveDuplicate,
                                 "duplicates found for WAL segment 000000010000000000000001: repo1: "
                                     + "15-1/0000000100000000/\(a.fileName), 15-1/0000000100000000/\(c.fileName)",
                                 hint: "are multiple primaries archiving to this stanza?")) {
            _ = try choose([a, c])
        }
    }
}
