import Foundation
import Glibc
import Testing
@testable import VaultCommands

@Suite struct LockFileReaderTests {
    let dir = "/tmp/pgvault-lockread-\(UUID().uuidString)"

    @Test func parsesPidAndProgress() {
        #expect(LockFileReader.parse("{\"execId\":\"1-ab\",\"pctCplt\":4250,\"pid\":77}\n")
            == LockFileReader.Holder(pid: 77, percentComplete: 4250))
        #expect(LockFileReader.parse("{\"execId\":\"1-ab\",\"pid\":78}") == LockFileReader.Holder(pid: 78, percentComplete: nil))
        #expect(LockFileReader.parse("garbage") == nil)
    }

    @Test func heldLockNamesItsHolderAndAReleasedOneNothing() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lock = try CommandLock.acquire(lockPath: dir, stanza: "main", kind: .backup, execId: "5-x")
        try lock.update(percentComplete: 12.5)
        let path = CommandLock.path(lockPath: dir, stanza: "main", kind: .backup)
        #expect(LockFileReader.heldHolder(path: path) == LockFileReader.Holder(pid: getpid(), percentComplete: 1250))
        lock.release()
        #expect(LockFileReader.heldHolder(path: path) == nil)
        // A leftover file whose lock nobody holds is not "held".
        #expect(FileManager.default.createFile(atPath: path, contents: Data("{\"pid\":1}".utf8)))
        #expect(LockFileReader.heldHolder(path: path) == nil)
    }
}
