import Foundation
import Glibc
import Testing
import VaultCore
@testable import VaultCommands

@Suite struct RestoreTargetFileSystemTests {
    let dir = "/tmp/pgvault-restorefs-\(UUID().uuidString)"

    @Test func truncateTimeModeAndRename() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/f"
        _ = FileManager.default.createFile(atPath: file, contents: Data([1, 2, 3, 4, 5]))
        try RestoreTargetFileSystem.truncate(file, to: 2)
        try RestoreTargetFileSystem.setModified(file, 1_600_000_000)
        try RestoreTargetFileSystem.setMode(file, 0o640)
        try RestoreTargetFileSystem.rename(file, to: dir + "/g")
        let attributes = try FileManager.default.attributesOfItem(atPath: dir + "/g")
        #expect(attributes[.size] as? Int == 2)
        #expect((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 == 1_600_000_000)
        #expect(attributes[.posixPermissions] as? Int == 0o640)
        #expect(try RestoreTargetFileSystem.owner(of: dir + "/g").mode == 0o640)
        try RestoreTargetFileSystem.syncPath(dir)
        try RestoreTargetFileSystem.syncPath(dir + "/missing")
    }

    @Test func failuresNameThePath() {
        #expect(throws: PGVError.self) { try RestoreTargetFileSystem.setMode(dir + "/none", 0o600) }
        let error = #expect(throws: PGVError.self) { try RestoreTargetFileSystem.rename(dir + "/a", to: dir + "/b") }
        #expect(error?.code == .fileMove)
        #expect(error?.message.hasPrefix("unable to move '\(dir)/a' to '\(dir)/b'") == true)
    }

    @Test func localTimestampFormat() {
        let text = RestoreTargetFileSystem.localTimestamp(1_767_225_600)
        #expect(text.count == 19)
        #expect(text.hasPrefix("2025-12-31") || text.hasPrefix("2026-01-01"))
    }
}
