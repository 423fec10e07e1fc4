import Foundation
import Testing
import VaultCore
@testable import VaultCommands

@Suite struct StopFileCheckTests {
    let dir = "/tmp/pgvault-stoptest-\(UUID().uuidString)"

    @Test func namesFollowPgBackRest() {
        #expect(StopFile(lockPath: "/tmp/lk", stanza: "main").path == "/tmp/lk/main.stop")
        #expect(StopFile(lockPath: "/tmp/lk", stanza: nil).path == "/tmp/lk/all.stop")
        #expect(StopFile(lockPath: "/tmp/lk", stanza: "main").scope == "stanza main")
        #expect(StopFile(lockPath: "/tmp/lk", stanza: nil).scope == "all stanzas")
    }

    @Test func noStopFilePassesAndAMissingLockPathToo() async throws {
        try await StopFileCheck.verify(lockPath: dir, stanza: "main")
    }

    @Test func stanzaStopFileIs062() async throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(FileManager.default.createFile(atPath: dir + "/main.stop", contents: Data()))
        await #expect(throws: PGVError(.stop, "stop file exists for stanza main")) {
            try await StopFileCheck.verify(lockPath: dir, stanza: "main")
        }
        try await StopFileCheck.verify(lockPath: dir, stanza: "other")
    }

    @Test func allStopFileStopsEveryStanza() async throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(FileManager.default.createFile(atPath: dir + "/all.stop", contents: Data()))
        for stanza in ["main", "other", nil] as [String?] {
            await #expect(throws: PGVError(.stop, "stop file exists for all stanzas")) {
                try await StopFileCheck.verify(lockPath: dir, stanza: stanza)
            }
        }
    }
}
