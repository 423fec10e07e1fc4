import Testing
import VaultRepository
import VaultStorage
@testable import VaultCommands

@Suite struct BackupInfoReconstructionTests {
    static let full = "20240101-000000F"
    static let incr = "20240101-000000F_20240102-000000I"
    static let full2 = "20240103-000000F"

    @Test func entriesWithoutManifestAreDroppedWithTheirDependents() async throws {
        let storage = MemoryStorage()
        let layout = RepositoryLayout(stanza: "main")
        var info = BackupInfo(systemId: 7, version: "15", controlVersion: 1300, catalogVersion: 202209061)
        info.add(BackupInfo.Entry(label: Self.full, type: .full, dbId: 1))
        var incr = BackupInfo.Entry(label: Self.incr, type: .incr, dbId: 1)
        incr.prior = Self.full
        incr.references = [Self.full]
        info.add(incr)
        info.add(BackupInfo.Entry(label: Self.full2, type: .full, dbId: 1))
        // The incr's manifest exists but its full's does not; the second full is complete.
        try await storage.put(layout.manifestPath(Self.incr), [1])
        try await storage.put(layout.manifestPath(Self.full2), [1])
        let (result, warnings) = try await BackupInfoReconstruction.reconstruct(
            info, storage: storage, layout: layout, store: InfoFileStore(storage: storage))
        #expect(result.labels == [Self.full2])
        #expect(warnings == [
            "backup '\(Self.incr)' depends on missing backup '\(Self.full)', removed from backup.info",
            "backup '\(Self.full)' missing manifest removed from backup.info",
        ])
    }
}
