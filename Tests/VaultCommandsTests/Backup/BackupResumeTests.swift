import Testing
import VaultCore
import VaultIO
import VaultRepository
import VaultStorage
@testable import VaultCommands

@Suite struct BackupResumeTests {
    static let full = "20240101-000000F"

    static func manifest(type: BackupType = .full, prior: String? = nil, compress: CompressionType = .lz4,
                         files: [ManifestFile] = []) -> Manifest {
        var options = Manifest.Options()
        options.compressType = compress
        var manifest = Manifest(backup: .init(label: full, type: type, prior: prior, references: [], timestampStart: 1,
                                              timestampCopyStart: 1),
                                db: PgHistory(id: 1, systemId: 7, version: "15", controlVersion: 1300, catalogVersion: 202209061),
                                options: options)
        manifest.files = files
        manifest.sortLists()
        return manifest
    }

    static func file(_ name: String, size: UInt64, time: Int64, checksum: String? = nil) -> ManifestFile {
        ManifestFile(name: name, size: size, timestamp: time, checksum: checksum, mode: 0o600, user: .unmapped, group: .unmapped)
    }

    @Test func incompatibilities() {
        let resumed = Self.manifest()
        #expect(BackupResume.incompatibility(of: resumed, type: .full, prior: nil, compressType: .lz4) == nil)
        #expect(BackupResume.incompatibility(of: resumed, type: .incr, prior: Self.full, compressType: .lz4)
                == "new backup type 'incr' does not match resumable backup type 'full'")
        #expect(BackupResume.incompatibility(of: resumed, type: .full, prior: nil, compressType: .gz)
                == "new compression 'gz' does not match resumable compression 'lz4'")
        let incr = Self.manifest(type: .incr, prior: Self.full)
        #expect(BackupResume.incompatibility(of: incr, type: .incr, prior: "20240102-000000F", compressType: .lz4)
                == "new prior backup label '20240102-000000F' does not match resumable prior backup label '\(Self.full)'")
    }

    @Test func candidatesAreCopiedUnchangedFiles() {
        let sum = String(repeating: "c", count: 40)
        let resumed = Self.manifest(files: [
            Self.file("pg_data/copied", size: 10, time: 5, checksum: sum),
            Self.file("pg_data/not-yet", size: 10, time: 5),                // no checksum recorded yet
            Self.file("pg_data/grown", size: 10, time: 5, checksum: sum),
            Self.file("pg_data/touched", size: 10, time: 5, checksum: sum),
            Self.file("pg_data/empty", size: 0, time: 5),
        ])
        let current = Self.manifest(files: [
            Self.file("pg_data/copied", size: 10, time: 5), Self.file("pg_data/not-yet", size: 10, time: 5),
            Self.file("pg_data/grown", size: 11, time: 5), Self.file("pg_data/touched", size: 10, time: 6),
            Self.file("pg_data/empty", size: 0, time: 5), Self.file("pg_data/new", size: 1, time: 5),
        ])
        #expect(Set(BackupResume.candidates(resumed: resumed, current: current, delta: false).keys)
                == ["pg_data/copied", "pg_data/empty"])
        #expect(Set(BackupResume.candidates(resumed: resumed, current: current, delta: true).keys)
                == ["pg_data/copied", "pg_data/empty", "pg_data/touched"])
    }

    @Test func findsOnlyAnUnfinishedNewestSetAndCleansIt() async throws {
        let storage = MemoryStorage()
        let layout = RepositoryLayout(stanza: "main")
        #expect(try await BackupResume.findUnfinished(storage: storage, layout: layout) == nil)
        try await storage.put(layout.manifestPath("20240101-000000F"), [1])
        try await storage.put(layout.manifestCopyPath("20240101-000000F"), [1])
        #expect(try await BackupResume.findUnfinished(storage: storage, layout: layout) == nil)
        let newer = "20240102-000000F"
        try await storage.put(layout.manifestCopyPath(newer), [1])
        try await storage.put(layout.setPath(newer) + "/pg_data/keep.lz4", [1])
        try await storage.put(layout.setPath(newer) + "/pg_data/drop.lz4", [1])
        try await storage.put(layout.setPath(newer) + "/pg_data/drop.lz4.pgbackrest.tmp", [1])
        #expect(try await BackupResume.findUnfinished(storage: storage, layout: layout) == newer)
        try await BackupResume.clean(storage: storage, setPath: layout.setPath(newer),
                                     keep: [layout.setPath(newer) + "/pg_data/keep.lz4"])
        let left = try await storage.listRecursive(layout.setPath(newer)).filter { $0.type == .file }.map(\.name)
        #expect(left == ["backup.manifest.copy", "pg_data/keep.lz4"])
    }
}
