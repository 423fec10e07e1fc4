import Foundation
import Glibc
import Testing
import VaultCore
@testable import VaultCommands

@Suite struct CommandLockTests {
    let dir = "/tmp/pgvault-locktest-\(UUID().uuidString)"

    @Test func secondAcquireFailsWith050NamingTheHolder() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try CommandLock.acquire(lockPath: dir, stanza: "main", kind: .backup, execId: "1-abc")
        let content = try String(contentsOfFile: first.path, encoding: .utf8)
        #expect(content == "{\"execId\":\"1-abc\",\"pid\":\(getpid())}\n")
        // flock locks belong to the open file description, so a second open in this process conflicts too.
        #expect(throws: PGVError(.lockAcquire, "unable to acquire lock on file '\(dir)/main-backup.lock': held by process \(getpid())",
                                 hint: "is another pgvault or pgBackRest process running on stanza?")) {
            _ = try CommandLock.acquire(lockPath: dir, stanza: "main", kind: .backup, execId: "2-def")
        }
        let archive = try CommandLock.acquire(lockPath: dir, stanza: "main", kind: .archive, execId: "1-abc")
        archive.release()
        first.release()
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/main-backup.lock"))
        let again = try CommandLock.acquire(lockPath: dir, stanza: "main", kind: .backup, execId: "3-ghi")
        again.release()
    }

    @Test func progressIsRecordedInHundredthsOfAPercent() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lock = try CommandLock.acquire(lockPath: dir, stanza: "db", kind: .backup, execId: "9-x")
        try lock.update(percentComplete: 42.5)
        let content = try String(contentsOfFile: lock.path, encoding: .utf8)
        #expect(content == "{\"execId\":\"9-x\",\"pctCplt\":4250,\"pid\":\(getpid())}\n")
        lock.release()
    }

    @Test func unwritableLockPathGives050WithHint() {
        let error = #expect(throws: PGVError.self) {
            _ = try CommandLock.acquire(lockPath: "/proc/no-such-dir", stanza: "db", kind: .backup, execId: "x")
        }
        #expect(error?.code == .lockAcquire)
        #expect(error?.hint == "does '/proc/no-such-dir' exist and is it writable (lock-path)?")
    }

    /// The race of two waiters and a releasing holder: a file opened before the holder unlinked it can be locked
    /// afterwards while a newcomer locks the new file at the path. The old one must be refused as stale.
    @Test func aLockOnAnUnlinkedFileIsStaleAndAcquireTakesTheFileAtThePath() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let holder = try CommandLock.acquire(lockPath: dir, stanza: "main", kind: .backup, execId: "1-a")
        let file = holder.path
        let early = open(file, O_RDWR | O_CLOEXEC)
        try #require(early >= 0)
        defer { close(early) }
        #expect(CommandLock.claim(fd: early, file: file) == .busy)
        holder.release()
        let newcomer = try CommandLock.acquire(lockPath: dir, stanza: "main", kind: .backup, execId: "2-b")
        // flock on the unlinked inode succeeds, but it is not the file at the path: stale.
        #expect(CommandLock.claim(fd: early, file: file) == .stale)
        #expect(throws: PGVError.self) {
            _ = try CommandLock.acquire(lockPath: dir, stanza: "main", kind: .backup, execId: "3-c")
        }
        newcomer.release()
    }
}
