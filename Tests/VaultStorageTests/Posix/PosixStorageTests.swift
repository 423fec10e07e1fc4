import Glibc
import Testing
import VaultCore
@testable import VaultStorage

/// POSIX-only behaviour: what lands on disk (modes, temp names, mtimes, links) and exact messages with real paths.
struct PosixStorageTests {
    /// Runs `body` with a storage rooted in a fresh temporary directory, removed afterwards.
    private func withPosix(_ body: (PosixStorage, String) async throws -> Void) async throws {
        let root = try makeTemporaryDirectory()
        defer { try? PosixFileSystem.removePath(root, recursive: true, keepSelf: false) }
        try await body(try PosixStorage(root: root), root)
    }

    private func rawStat(_ path: String) throws -> stat {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            throw PGVError(.fileOpen, "lstat '\(path)': \(StorageError.errnoText(errno))")
        }
        return st
    }

    private func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    @Test func rootMustBeAbsoluteAndIsTrimmed() throws {
        #expect(throws: PGVError(.paramInvalid, "storage root 'relative/dir' must be an absolute path")) {
            try PosixStorage(root: "relative/dir")
        }
        let storage = try PosixStorage(root: "/var/lib/pgbackrest//")
        #expect(storage.root == "/var/lib/pgbackrest")
        #expect(try storage.absolutePath("archive//main/./x") == "/var/lib/pgbackrest/archive/main/x")
        #expect(try storage.absolutePath("") == "/var/lib/pgbackrest")
        #expect(try PosixStorage(root: "/").absolutePath("etc") == "/etc")
        #expect(throws: PGVError.self) { try storage.absolutePath("../etc") }
        #expect(storage.capabilities == [.paths, .symlinks, .ownership])
    }

    @Test func filesAre0640AndCreatedDirectories0750() async throws {
        let previous = umask(0o022)
        defer { umask(previous) }
        try await withPosix { storage, root in
            try await storage.put("a/b/file", [1])
            #expect(try rawStat(root + "/a").st_mode & 0o7777 == 0o750)
            #expect(try rawStat(root + "/a/b").st_mode & 0o7777 == 0o750)
            #expect(try rawStat(root + "/a/b/file").st_mode & 0o7777 == 0o640)
            #expect(try await storage.info("a/b/file")?.mode == 0o640)
            #expect(try await storage.info("a/b")?.mode == 0o750)

            try await storage.put("a/private", [1], options: StorageWriteOptions(mode: 0o600))
            #expect(try await storage.info("a/private")?.mode == 0o600)
            try await storage.put("a/inplace", [1], options: StorageWriteOptions(atomic: false, mode: 0o644))
            #expect(try await storage.info("a/inplace")?.mode == 0o644)
            try await storage.pathCreate("c/d", mode: 0o700)
            #expect(try await storage.info("c")?.mode == 0o700)
            #expect(try await storage.info("c/d")?.mode == 0o700)
        }
    }

    @Test func infoReportsOwnerNames() async throws {
        try await withPosix { storage, _ in
            try await storage.put("f", [1])
            let info = try #require(try await storage.info("f"))
            let user = try #require(getpwuid(geteuid()))
            let group = try #require(getgrgid(getegid()))
            #expect(info.user == String(cString: user.pointee.pw_name))
            #expect(info.group == String(cString: group.pointee.gr_name))
        }
    }

    @Test func symlinkInfoAndListing() async throws {
        try await withPosix { storage, root in
            let long = "/" + String(repeating: "long-destination/", count: 30) + "end"
            try await storage.linkCreate("link", destination: long)
            try await storage.linkCreate("rel", destination: "../somewhere")
            let info = try #require(try await storage.info("link"))
            #expect(info.type == .link)
            #expect(info.linkDestination == long)
            #expect(info.size == 0)
            let listed = try await storage.list("").sorted { StoragePath.byteOrder($0.name, $1.name) }
            #expect(listed.map(\.name) == ["link", "rel"])
            #expect(listed.map(\.linkDestination) == [long, "../somewhere"])
            var buffer = [CChar](repeating: 0, count: 64)
            #expect(readlink(root + "/rel", &buffer, 64) == 12)

            let error = await pgvError { try await storage.linkCreate("missing/dir/link", destination: "x") }
            #expect(error == PGVError(.fileOpen,
                "unable to create symlink '\(root)/missing/dir/link' to 'x': [2] No such file or directory"))
        }
    }

    @Test func modifiedTimeIsSetWithFutimens() async throws {
        try await withPosix { storage, root in
            try await storage.put("f", testBytes(10), options: StorageWriteOptions(modified: 1_234_567_890))
            let st = try rawStat(root + "/f")
            #expect(st.st_mtim.tv_sec == 1_234_567_890)
            #expect(st.st_size == 10)
        }
    }

    @Test func atomicWriteGoesThroughPgbackrestTempName() async throws {
        try await withPosix { storage, root in
            let writer = try await storage.openWrite("wal/seg", options: StorageWriteOptions())
            try await writer.write([1, 2, 3])
            #expect(exists(root + "/wal/seg.pgbackrest.tmp"))
            #expect(!exists(root + "/wal/seg"))
            #expect(try await storage.list("wal").map(\.name) == ["seg.pgbackrest.tmp"])
            try await writer.commit()
            #expect(!exists(root + "/wal/seg.pgbackrest.tmp"))
            #expect(try rawStat(root + "/wal/seg").st_size == 3)

            let aborted = try await storage.openWrite("wal/other", options: StorageWriteOptions(sync: false))
            try await aborted.write([4])
            #expect(exists(root + "/wal/other.pgbackrest.tmp"))
            await aborted.abort()
            #expect(!exists(root + "/wal/other.pgbackrest.tmp"))
            #expect(!exists(root + "/wal/other"))
        }
    }

    /// Two archive-push of one segment at once: with pgBackRest's shared temporary name the second open truncates
    /// the first writer's file and the second rename fails with ENOENT. Private temporaries: both commit, the last
    /// rename wins whole, nothing is left behind.
    @Test func concurrentWritersOfOneNameWithPrivateTemporariesBothCommit() async throws {
        try await withPosix { storage, root in
            let options = StorageWriteOptions(privateTemporary: true)
            let first = try await storage.openWrite("wal/seg", options: options)
            let second = try await storage.openWrite("wal/seg", options: options)
            let temporaries = try await storage.list("wal").map(\.name)
            #expect(temporaries.count == 2)
            #expect(temporaries.allSatisfy { $0.hasPrefix("seg.\(getpid())-") && $0.hasSuffix(".pgbackrest.tmp") })
            try await first.write(testBytes(1000))
            try await second.write([7, 7, 7])
            try await first.write(testBytes(24))
            try await first.commit()
            #expect(try await storage.get("wal/seg") == testBytes(1000) + testBytes(24))
            try await second.commit()
            #expect(try await storage.get("wal/seg") == [7, 7, 7])
            #expect(try await storage.list("wal").map(\.name) == ["seg"])
            #expect(try rawStat(root + "/wal/seg").st_mode & 0o7777 == 0o640)
        }
    }

    @Test func privateTemporaryNamesDifferPerWriter() {
        let a = PosixFileWriter.temporaryPath(for: "/r/seg", private: true)
        let b = PosixFileWriter.temporaryPath(for: "/r/seg", private: true)
        #expect(a != b)
        #expect(a.hasPrefix("/r/seg.\(getpid())-") && a.hasSuffix(".pgbackrest.tmp"))
        #expect(PosixFileWriter.temporaryPath(for: "/r/seg", private: false) == "/r/seg.pgbackrest.tmp")
    }

    @Test func nonAtomicWriteCreatesTheFinalNameAtOpen() async throws {
        try await withPosix { storage, root in
            let writer = try await storage.openWrite("data/file", options: StorageWriteOptions(atomic: false))
            #expect(exists(root + "/data/file"))
            #expect(!exists(root + "/data/file.pgbackrest.tmp"))
            try await writer.write([9])
            try await writer.commit()
            #expect(try await storage.get("data/file") == [9])
        }
    }

    @Test func errorsNameAbsolutePathsWithErrnoText() async throws {
        try await withPosix { storage, root in
            let missing = await pgvError { _ = try await storage.openRead("nope", offset: 0, length: nil) }
            #expect(missing == PGVError(.fileMissing, "unable to open missing file '\(root)/nope' for read"))

            try await storage.put("plain", [1])
            // root bypasses permission bits, but not a regular file used as a directory.
            let underFile = await pgvError { try await storage.put("plain/child", [2]) }
            #expect(underFile == PGVError(.fileOpen,
                "unable to open file '\(root)/plain/child.pgbackrest.tmp' for write: [20] Not a directory"))
            #expect(underFile?.code.rawValue == 41)

            let readUnderFile = await pgvError { _ = try await storage.openRead("plain/child", offset: 0, length: nil) }
            #expect(readUnderFile == PGVError(.fileOpen,
                "unable to open file '\(root)/plain/child' for read: [20] Not a directory"))

            let mkdirUnderFile = await pgvError { try await storage.pathCreate("plain/sub/dir", mode: 0o750) }
            #expect(mkdirUnderFile == PGVError(.pathCreate,
                "unable to create path '\(root)/plain/sub/dir': [20] Not a directory"))

            let removeMissing = await pgvError { try await storage.remove("gone", errorOnMissing: true) }
            #expect(removeMissing == PGVError(.fileMissing, "unable to remove missing file '\(root)/gone'"))

            let listFile = await pgvError { _ = try await storage.list("plain") }
            #expect(listFile == PGVError(.pathOpen, "unable to open path '\(root)/plain' for read: [20] Not a directory"))
        }
    }

    @Test func readerCloseIsIdempotentAndReadAfterCloseFails() async throws {
        try await withPosix { storage, root in
            try await storage.put("f", [1, 2, 3])
            let reader = try await storage.openRead("f", offset: 1, length: nil)
            #expect(try await reader.read(maxLength: 1) == [2])
            await reader.close()
            await reader.close()
            let error = await pgvError { _ = try await reader.read(maxLength: 1) }
            #expect(error == PGVError(.fileRead, "unable to read file '\(root)/f' after it was closed"))
        }
    }

    @Test func pathRemoveRemovesDeepTreesWithoutFollowingLinks() async throws {
        try await withPosix { storage, root in
            var deep = "t"
            for level in 0..<20 {
                deep += "/d\(level)"
                try await storage.put(deep + "/file", [UInt8(level)])
            }
            try await storage.put("keep/x", [1])
            try await storage.linkCreate("t/d0/abs-link", destination: root + "/keep")
            try await storage.pathRemove("t", recursive: true)
            #expect(!exists(root + "/t"))
            #expect(exists(root + "/keep/x"))
        }
    }
}
