import Glibc
import Testing
import VaultCore
@testable import VaultStorage

/// The behaviour every `Storage` driver must share, run against each `DriverKind`.
struct StorageConformanceTests {
    // MARK: - Round trips

    @Test(arguments: DriverKind.allCases, [0, 1, 1 << 20 + 1])
    func putGetRoundTrip(kind: DriverKind, size: Int) async throws {
        try await withStorage(kind) { storage in
            let content = testBytes(size)
            try await storage.put("dir/sub/file", content)
            #expect(try await storage.get("dir/sub/file") == content)
            let info = try #require(try await storage.info("dir/sub/file"))
            #expect(info.type == .file)
            #expect(info.size == UInt64(size))
        }
    }

    @Test(arguments: DriverKind.allCases)
    func streamedWriteInManyChunks(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            let content = testBytes(300_000)
            let writer = try await storage.openWrite("chunks", options: StorageWriteOptions())
            var start = 0
            while start < content.count {
                let end = min(start + 65_537, content.count)
                try await writer.write(Array(content[start..<end]))
                start = end
            }
            try await writer.commit()
            let reader = try await storage.openRead("chunks", offset: 0, length: nil)
            #expect(try await readAll(reader, chunk: 4093) == content)
        }
    }

    @Test(arguments: DriverKind.allCases)
    func concurrentWritersAndReaders(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<16 {
                    group.addTask {
                        let content = testBytes(10_000 + index, seed: UInt8(index))
                        try await storage.put("many/\(index % 4)/file\(index)", content)
                        #expect(try await storage.get("many/\(index % 4)/file\(index)") == content)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await storage.listRecursive("many").filter { $0.type == .file }.count == 16)
        }
    }

    // MARK: - Info and list

    @Test(arguments: DriverKind.allCases)
    func infoOfFilePathAndMissing(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            let before = Int64(time(nil))
            try await storage.put("a/file", [1, 2, 3])
            let file = try #require(try await storage.info("a/file"))
            #expect(file.name == "a/file")
            #expect(file.type == .file)
            #expect(file.size == 3)
            #expect(file.modified >= before - 1 && file.modified <= Int64(time(nil)) + 1)

            let path = try #require(try await storage.info("a"))
            #expect(path.type == .path)
            #expect(try await storage.info("")?.type == .path)

            #expect(try await storage.info("missing") == nil)
            #expect(try await storage.info("a/missing/deeper") == nil)
            #expect(try await storage.info("a/file/under-a-file") == nil)
        }
    }

    @Test(arguments: DriverKind.allCases)
    func listOfDirectoryAndMissing(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            try await storage.put("a/one", [1])
            try await storage.put("a/two", [2, 2])
            try await storage.put("a/sub/three", [3, 3, 3])
            let entries = try await storage.list("a").sorted { StoragePath.byteOrder($0.name, $1.name) }
            #expect(entries.map(\.name) == ["one", "sub", "two"])
            #expect(entries.map(\.type) == [.file, .path, .file])
            #expect(entries.map(\.size) == [1, 0, 2])
            #expect(try await storage.list("").map(\.name) == ["a"])
            #expect(try await storage.list("missing").isEmpty)
            #expect(try await storage.list("missing/deeper").isEmpty)
        }
    }

    @Test(arguments: DriverKind.allCases)
    func listOfAFileIsPathOpenError(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            try await storage.put("file", [1])
            let error = await pgvError { _ = try await storage.list("file") }
            #expect(error?.code == .pathOpen)
            #expect(error?.message.hasSuffix("/file' for read: [20] Not a directory") == true)
        }
    }

    @Test(arguments: DriverKind.allCases)
    func listRecursiveIsRelativeAndByteOrdered(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            for name in ["d/Z", "d/a/c", "d/a/b", "d/_", "d/a-x", "outside"] { try await storage.put(name, [0]) }
            let entries = try await storage.listRecursive("d")
            #expect(entries.map(\.name) == ["Z", "_", "a", "a-x", "a/b", "a/c"])
            #expect(entries.first { $0.name == "a" }?.type == .path)
            #expect(try await storage.listRecursive("missing").isEmpty)
            #expect(try await storage.listRecursive("").map(\.name).contains("d/a/b"))
        }
    }

    // MARK: - Reading

    @Test(arguments: DriverKind.allCases)
    func openReadHonoursOffsetAndLength(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            let content = testBytes(100)
            try await storage.put("f", content)
            func read(_ offset: UInt64, _ length: UInt64?) async throws -> [UInt8] {
                try await readAll(try await storage.openRead("f", offset: offset, length: length), chunk: 7)
            }
            #expect(try await read(0, nil) == content)
            #expect(try await read(10, 20) == Array(content[10..<30]))
            #expect(try await read(90, nil) == Array(content[90...]))
            #expect(try await read(95, 50) == Array(content[95...]))
            #expect(try await read(100, nil).isEmpty)
            #expect(try await read(200, 10).isEmpty)
            #expect(try await read(0, 0).isEmpty)
        }
    }

    @Test(arguments: DriverKind.allCases)
    func missingFileReadErrorNamesThePath(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            let error = try #require(await pgvError { _ = try await storage.get("nope/file") })
            #expect(error.code == .fileMissing)
            #expect(error.message.hasPrefix("unable to open missing file '/"))
            #expect(error.message.hasSuffix("/nope/file' for read"))
            #expect(try await storage.getIfExists("nope/file") == nil)
        }
    }

    @Test(arguments: DriverKind.allCases)
    func readingADirectoryIsFileReadError(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            try await storage.pathCreate("dir", mode: 0o750)
            let error = await pgvError { _ = try await storage.get("dir") }
            #expect(error?.code == .fileRead)
            #expect(error?.message.hasSuffix("/dir': [21] Is a directory") == true)
        }
    }

    // MARK: - Removing

    @Test(arguments: DriverKind.allCases)
    func removeFileAndMissing(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            try await storage.put("f", [1])
            try await storage.remove("f", errorOnMissing: true)
            #expect(try await storage.info("f") == nil)
            try await storage.remove("f", errorOnMissing: false)
            let error = try #require(await pgvError { try await storage.remove("f", errorOnMissing: true) })
            #expect(error.code == .fileMissing)
            #expect(error.code.description == "055")
            #expect(error.message.hasPrefix("unable to remove missing file '/"))
            #expect(error.message.hasSuffix("/f'"))
        }
    }

    @Test(arguments: DriverKind.allCases)
    func removeOfADirectoryIsFileRemoveError(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            try await storage.pathCreate("dir", mode: 0o750)
            let error = await pgvError { try await storage.remove("dir", errorOnMissing: false) }
            #expect(error?.code == .fileRemove)
            #expect(try await storage.info("dir")?.type == .path)
        }
    }

    @Test(arguments: DriverKind.allCases)
    func pathRemoveRecursive(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            for name in ["t/a", "t/b/c", "t/b/d/e", "keep"] { try await storage.put(name, [1]) }
            try await storage.pathCreate("t/empty", mode: 0o750)
            let notEmpty = await pgvError { try await storage.pathRemove("t", recursive: false) }
            #expect(notEmpty?.code == .pathRemove)
            #expect(notEmpty?.message.hasSuffix("/t': [39] Directory not empty") == true)

            try await storage.pathRemove("t/empty", recursive: false)
            #expect(try await storage.info("t/empty") == nil)
            try await storage.pathRemove("t", recursive: true)
            #expect(try await storage.info("t") == nil)
            #expect(try await storage.exists("keep"))
            try await storage.pathRemove("t", recursive: true)
            try await storage.pathRemove("never/was", recursive: false)

            let onFile = await pgvError { try await storage.pathRemove("keep", recursive: true) }
            #expect(onFile?.code == .pathRemove)
        }
    }

    @Test(arguments: DriverKind.allCases)
    func pathRemoveOfRootEmptiesIt(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            try await storage.put("x/y", [1])
            try await storage.pathRemove("", recursive: true)
            #expect(try await storage.list("").isEmpty)
            #expect(try await storage.info("")?.type == .path)
            try await storage.put("again", [2])
            #expect(try await storage.get("again") == [2])
        }
    }

    // MARK: - Atomicity

    @Test(arguments: DriverKind.allCases)
    func abortedWriterLeavesNothing(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            let writer = try await storage.openWrite("w/final", options: StorageWriteOptions())
            try await writer.write(testBytes(1000))
            #expect(try await storage.info("w/final") == nil)
            await writer.abort()
            await writer.abort()
            #expect(try await storage.info("w/final") == nil)
            #expect(try await storage.list("w").isEmpty)
            let late = await pgvError { try await writer.write([1]) }
            #expect(late?.code == .fileWrite)
        }
    }

    @Test(arguments: DriverKind.allCases)
    func uncommittedWriterLeavesNothingAtFinalName(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            var writer: (any StorageWriter)? = try await storage.openWrite("w/final", options: StorageWriteOptions())
            try await writer?.write(testBytes(5000))
            #expect(try await storage.info("w/final") == nil)
            #expect(try await !storage.list("w").map(\.name).contains("final"))
            writer = nil
            #expect(try await storage.info("w/final") == nil)
            #expect(try await storage.getIfExists("w/final") == nil)
        }
    }

    @Test(arguments: DriverKind.allCases)
    func overwriteKeepsOldContentUntilCommit(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            try await storage.put("f", [1, 1, 1])
            let writer = try await storage.openWrite("f", options: StorageWriteOptions())
            try await writer.write([2, 2])
            #expect(try await storage.get("f") == [1, 1, 1])
            try await writer.commit()
            #expect(try await storage.get("f") == [2, 2])

            let aborted = try await storage.openWrite("f", options: StorageWriteOptions())
            try await aborted.write([3])
            await aborted.abort()
            #expect(try await storage.get("f") == [2, 2])
        }
    }

    @Test(arguments: DriverKind.allCases)
    func readerKeepsReadingWhatItOpened(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            try await storage.put("f", [1, 2, 3])
            let reader = try await storage.openRead("f", offset: 0, length: nil)
            try await storage.put("f", [9, 9, 9, 9])
            #expect(try await readAll(reader) == [1, 2, 3])
        }
    }

    @Test(arguments: DriverKind.allCases)
    func nonAtomicWriteIsInPlaceAndAbortRemovesIt(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            let options = StorageWriteOptions(atomic: false)
            try await storage.put("in/place", [4, 5], options: options)
            #expect(try await storage.get("in/place") == [4, 5])

            let writer = try await storage.openWrite("in/other", options: options)
            try await writer.write([6])
            #expect(try await storage.get("in/other") == [6])
            await writer.abort()
            #expect(try await storage.info("in/other") == nil)
        }
    }

    @Test(arguments: DriverKind.allCases)
    func commitTwiceIsAnError(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            let writer = try await storage.openWrite("f", options: StorageWriteOptions())
            try await writer.commit()
            #expect(try await storage.get("f") == [])
            let again = await pgvError { try await writer.commit() }
            #expect(again?.code == .fileWrite)
            await writer.abort()
            #expect(try await storage.exists("f"))
        }
    }

    @Test(arguments: DriverKind.allCases)
    func modifiedTimeIsSetOnCommit(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            try await storage.put("atomic", [1], options: StorageWriteOptions(modified: 1_600_000_000))
            try await storage.put("inplace", [1], options: StorageWriteOptions(atomic: false, modified: 1_500_000_000))
            #expect(try await storage.info("atomic")?.modified == 1_600_000_000)
            #expect(try await storage.info("inplace")?.modified == 1_500_000_000)
        }
    }

    // MARK: - Paths and write failures

    @Test(arguments: DriverKind.allCases)
    func writeWithoutCreatePathNeedsTheDirectory(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            let options = StorageWriteOptions(createPath: false)
            let error = await pgvError { _ = try await storage.openWrite("no/dir/f", options: options) }
            #expect(error?.code == .fileOpen)
            #expect(error?.message.hasSuffix("/no/dir/f.pgbackrest.tmp' for write: [2] No such file or directory") == true)
            try await storage.pathCreate("no/dir", mode: 0o750)
            try await storage.put("no/dir/f", [1], options: options)
            #expect(try await storage.get("no/dir/f") == [1])
        }
    }

    @Test(arguments: DriverKind.allCases)
    func writeUnderARegularFileFails(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            try await storage.put("plain", [1])
            let error = await pgvError { try await storage.put("plain/child", [2]) }
            #expect(error?.code == .fileOpen)
            #expect(error?.message.hasSuffix("/plain/child.pgbackrest.tmp' for write: [20] Not a directory") == true)
            let deeper = await pgvError { try await storage.put("plain/a/b", [2]) }
            #expect(deeper?.code == .fileOpen)
            #expect(try await storage.get("plain") == [1])
        }
    }

    @Test(arguments: DriverKind.allCases)
    func pathCreateIsMkdirP(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            try await storage.pathCreate("p/q/r", mode: 0o750)
            try await storage.pathCreate("p/q/r", mode: 0o750)
            #expect(try await storage.info("p/q")?.type == .path)
            #expect(try await storage.pathExists("p/q/r"))
            #expect(try await !storage.exists("p/q/r"))
            try await storage.put("p/file", [1])
            let error = await pgvError { try await storage.pathCreate("p/file", mode: 0o750) }
            #expect(error?.code == .pathCreate)
            #expect(error?.message.hasSuffix("/p/file': [17] File exists") == true)
        }
    }

    @Test(arguments: DriverKind.allCases)
    func symlinksWhereSupported(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            // POSIX and memory must support links; a driver without them (S3) skips this part of the contract.
            #expect(storage.capabilities.contains(.symlinks) || (kind != .posix && kind != .memory))
            guard storage.capabilities.contains(.symlinks) else { return }
            try await storage.put("data/target", [7, 7])
            try await storage.linkCreate("data/link", destination: "target")
            let info = try #require(try await storage.info("data/link"))
            #expect(info.type == .link)
            #expect(info.linkDestination == "target")
            #expect(try await storage.exists("data/link"))
            #expect(try await storage.get("data/link") == [7, 7])
            #expect(try await storage.list("data").first { $0.name == "link" }?.linkDestination == "target")

            let exists = await pgvError { try await storage.linkCreate("data/link", destination: "other") }
            #expect(exists?.code == .fileOpen)
            try await storage.linkCreate("data/dangling", destination: "nowhere")
            #expect(try await storage.info("data/dangling")?.type == .link)
            #expect(await pgvError { _ = try await storage.get("data/dangling") }?.code == .fileMissing)

            try await storage.pathRemove("data", recursive: true)
            #expect(try await storage.info("data") == nil)
        }
    }

    @Test(arguments: DriverKind.allCases, ["/abs", "../up", "a/../../b", ""])
    func invalidPathsAreRejected(kind: DriverKind, path: String) async throws {
        try await withStorage(kind) { storage in
            let write = await pgvError { _ = try await storage.openWrite(path, options: StorageWriteOptions()) }
            #expect(write?.code == .paramInvalid)
            let read = await pgvError { _ = try await storage.openRead(path, offset: 0, length: nil) }
            #expect(read?.code == .paramInvalid)
            let remove = await pgvError { try await storage.remove(path, errorOnMissing: false) }
            #expect(remove?.code == .paramInvalid)
            if !path.isEmpty {
                #expect(await pgvError { _ = try await storage.info(path) }?.code == .paramInvalid)
                #expect(await pgvError { _ = try await storage.list(path) }?.code == .paramInvalid)
                #expect(await pgvError { try await storage.pathRemove(path, recursive: true) }?.code == .paramInvalid)
            }
        }
    }

    @Test(arguments: DriverKind.allCases)
    func existenceHelpers(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            try await storage.put("d/f", [1])
            #expect(try await storage.exists("d/f"))
            #expect(try await !storage.exists("d"))
            #expect(try await !storage.exists("d/missing"))
            #expect(try await storage.pathExists("d"))
            #expect(try await !storage.pathExists("d/f"))
            #expect(try await storage.getIfExists("d/f") == [1])
        }
    }
}

extension StorageConformanceTests {
    @Test(arguments: DriverKind.allCases)
    func failedCommitLeavesNothingBehind(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            try await storage.put("d/inside", [1])
            let writer = try await storage.openWrite("d", options: StorageWriteOptions())
            try await writer.write([2])
            let error = await pgvError { try await writer.commit() }
            #expect(error?.code == .fileMove)
            #expect(error?.message.hasSuffix("/d': [21] Is a directory") == true)
            await writer.abort()
            #expect(try await storage.list("").map(\.name) == ["d"])
            #expect(try await storage.get("d/inside") == [1])
        }
    }

    @Test(arguments: DriverKind.allCases)
    func pathRemoveDoesNotFollowSymlinks(kind: DriverKind) async throws {
        try await withStorage(kind) { storage in
            #expect(storage.capabilities.contains(.symlinks) || (kind != .posix && kind != .memory))
            guard storage.capabilities.contains(.symlinks) else { return }
            try await storage.put("outside/keep", [1])
            try await storage.pathCreate("tree", mode: 0o750)
            try await storage.linkCreate("tree/link", destination: "../outside")
            #expect(try await storage.get("tree/link/keep") == [1])
            try await storage.pathRemove("tree", recursive: true)
            #expect(try await storage.info("tree") == nil)
            #expect(try await storage.get("outside/keep") == [1])
        }
    }
}
