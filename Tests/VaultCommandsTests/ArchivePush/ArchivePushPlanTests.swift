import Testing
import VaultCore
import VaultIO
import VaultRepository
@testable import VaultCommands

@Suite struct ArchivePushPlanTests {
    static let sha = String(repeating: "a", count: 40)
    static let otherSha = String(repeating: "b", count: 40)
    let layout = RepositoryLayout(stanza: "main")

    @Test(arguments: [
        ("000000010000000000000001", true),
        ("00000001000000000000000A.partial", true),
        ("000000010000000000000001.00000028.backup", false),
        ("00000002.history", false),
        ("00000001000000000000000a", false),
        ("0000000100000000000000", false),
        ("000000010000000000000001.partia", false),
    ])
    func segmentClassification(name: String, segment: Bool) {
        #expect(ArchivePushPlan.isSegment(name) == segment)
    }

    @Test func segmentPathCarriesChecksumAndExtension() {
        let path = ArchivePushPlan.repositoryPath(name: "000000010000000200000003", layout: layout, archiveId: "15-1",
                                                  sha1: Self.sha, compressType: .lz4)
        #expect(path == "archive/main/15-1/0000000100000002/000000010000000200000003-\(Self.sha).lz4")
        let partial = ArchivePushPlan.repositoryPath(name: "000000010000000200000003.partial", layout: layout,
                                                     archiveId: "15-2", sha1: Self.sha, compressType: .none)
        #expect(partial == "archive/main/15-2/0000000100000002/000000010000000200000003.partial-\(Self.sha)")
    }

    @Test func otherFilesKeepTheirNameAndNoExtension() {
        #expect(ArchivePushPlan.repositoryPath(name: "00000002.history", layout: layout, archiveId: "15-1", sha1: "",
                                               compressType: .gz) == "archive/main/15-1/00000002.history")
        #expect(ArchivePushPlan.repositoryPath(name: "000000010000000000000002.00000028.backup", layout: layout,
                                               archiveId: "15-1", sha1: "", compressType: .zst)
                == "archive/main/15-1/0000000100000000/000000010000000000000002.00000028.backup")
    }

    static func archived(_ sha: String, partial: Bool = false, segment: String = "000000010000000000000001")
        -> WalArchiveName {
        WalArchiveName(segment: segment, partial: partial, sha1: sha, compressType: .lz4)
    }

    @Test func duplicateDecisions() {
        let name = "000000010000000000000001"
        #expect(ArchivePushPlan.duplicateDecision(name: name, existing: [], sha1: Self.sha) == .push)
        #expect(ArchivePushPlan.duplicateDecision(name: name, existing: [Self.archived(Self.sha)], sha1: Self.sha)
                == .skipSameChecksum)
        #expect(ArchivePushPlan.duplicateDecision(name: name, existing: [Self.archived(Self.otherSha)], sha1: Self.sha)
                == .conflict)
        // Any copy with the same checksum is enough (a repository already holding two copies stays readable).
        #expect(ArchivePushPlan.duplicateDecision(
            name: name, existing: [Self.archived(Self.otherSha), Self.archived(Self.sha)], sha1: Self.sha) == .skipSameChecksum)
    }

    @Test func partialAndFullSegmentsAreNotDuplicatesOfEachOther() {
        let name = "000000010000000000000001"
        #expect(ArchivePushPlan.duplicateDecision(name: name, existing: [Self.archived(Self.otherSha, partial: true)],
                                                  sha1: Self.sha) == .push)
        #expect(ArchivePushPlan.duplicateDecision(name: name + ".partial", existing: [Self.archived(Self.otherSha)],
                                                  sha1: Self.sha) == .push)
        #expect(ArchivePushPlan.duplicateDecision(name: name + ".partial",
                                                  existing: [Self.archived(Self.otherSha, partial: true)],
                                                  sha1: Self.sha) == .conflict)
    }

    @Test func clusterMustMatchTheCurrentArchiveEntry() throws {
        var info = ArchiveInfo(systemId: 100, version: "14")
        info.addHistory(systemId: 200, version: "15")
        try ArchivePushPlan.checkCluster(.init(version: "15", systemId: 200), against: info, repoLabel: "repo1")
        // A match with an older history entry is not enough: WAL goes to the current archive id only.
        #expect(throws: PGVError(.archiveMismatch,
                                 "PostgreSQL version 14, system-id 100 do not match repo2 stanza version 15, system-id 200",
                                 hint: "are you archiving to the correct stanza?")) {
            try ArchivePushPlan.checkCluster(.init(version: "14", systemId: 100), against: info, repoLabel: "repo2")
        }
    }

    @Test func repositoriesMustAgreeWithoutPgPath() throws {
        let one = ArchiveInfo(systemId: 7, version: "15")
        let cluster = try ArchivePushPlan.agreedCluster([("repo1", one), ("repo2", one)])
        #expect(cluster == .init(version: "15", systemId: 7))
        #expect(try ArchivePushPlan.agreedCluster([]) == nil)
        #expect(throws: PGVError(.archiveMismatch,
                                 "repo2 stanza version 15, system-id 8 do not match repo1 stanza version 15, system-id 7",
                                 hint: "are you archiving to the correct stanza?")) {
            _ = try ArchivePushPlan.agreedCluster([("repo1", one), ("repo2", ArchiveInfo(systemId: 8, version: "15"))])
        }
    }
}
