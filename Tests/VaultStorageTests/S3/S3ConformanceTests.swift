import Testing
@testable import VaultStorage

/// The shared conformance tests that hold for an object store, run against S3 on moto. Not run here, because they
/// check POSIX directory semantics S3 does not have (no `.paths` capability): reading or removing a created
/// directory, listing a file as a directory (S3 lists it empty, which `pathExists` relies on), in-place non-atomic
/// writes, modification times set on commit, writes needing an existing or
/// non-file parent, `pathCreate` making a visible path, and a commit failing over a directory.
@Suite(.serialized)
struct S3ConformanceTests {
    let conformance = StorageConformanceTests()
    let copy = StorageCopyTests()

    @Test(arguments: [0, 1, 1 << 20 + 1])
    func putGetRoundTrip(size: Int) async throws { try await conformance.putGetRoundTrip(kind: .s3, size: size) }

    @Test func streamedWriteInManyChunks() async throws { try await conformance.streamedWriteInManyChunks(kind: .s3) }

    @Test func concurrentWritersAndReaders() async throws { try await conformance.concurrentWritersAndReaders(kind: .s3) }

    @Test func infoOfFilePathAndMissing() async throws { try await conformance.infoOfFilePathAndMissing(kind: .s3) }

    @Test func listOfDirectoryAndMissing() async throws { try await conformance.listOfDirectoryAndMissing(kind: .s3) }

    @Test func listRecursiveIsRelativeAndByteOrdered() async throws {
        try await conformance.listRecursiveIsRelativeAndByteOrdered(kind: .s3)
    }

    @Test func openReadHonoursOffsetAndLength() async throws {
        try await conformance.openReadHonoursOffsetAndLength(kind: .s3)
    }

    @Test func missingFileReadErrorNamesThePath() async throws {
        try await conformance.missingFileReadErrorNamesThePath(kind: .s3)
    }

    @Test func removeFileAndMissing() async throws { try await conformance.removeFileAndMissing(kind: .s3) }

    @Test func pathRemoveRecursive() async throws { try await conformance.pathRemoveRecursive(kind: .s3) }

    @Test func pathRemoveOfRootEmptiesIt() async throws { try await conformance.pathRemoveOfRootEmptiesIt(kind: .s3) }

    @Test func abortedWriterLeavesNothing() async throws { try await conformance.abortedWriterLeavesNothing(kind: .s3) }

    @Test func uncommittedWriterLeavesNothingAtFinalName() async throws {
        try await conformance.uncommittedWriterLeavesNothingAtFinalName(kind: .s3)
    }

    @Test func overwriteKeepsOldContentUntilCommit() async throws {
        try await conformance.overwriteKeepsOldContentUntilCommit(kind: .s3)
    }

    @Test func readerKeepsReadingWhatItOpened() async throws {
        try await conformance.readerKeepsReadingWhatItOpened(kind: .s3)
    }

    @Test func commitTwiceIsAnError() async throws { try await conformance.commitTwiceIsAnError(kind: .s3) }

    @Test func symlinksWhereSupported() async throws { try await conformance.symlinksWhereSupported(kind: .s3) }

    @Test(arguments: ["/abs", "../up", "a/../../b", ""])
    func invalidPathsAreRejected(path: String) async throws {
        try await conformance.invalidPathsAreRejected(kind: .s3, path: path)
    }

    @Test func existenceHelpers() async throws { try await conformance.existenceHelpers(kind: .s3) }

    @Test func copiesThroughStagesChunkByChunk() async throws { try await copy.copiesThroughStagesChunkByChunk(kind: .s3) }

    @Test func copiesARangeWithoutStages() async throws { try await copy.copiesARangeWithoutStages(kind: .s3) }

    @Test func copiesAnEmptyFile() async throws { try await copy.copiesAnEmptyFile(kind: .s3) }

    @Test func stageFailureAbortsTheWriter() async throws { try await copy.stageFailureAbortsTheWriter(kind: .s3) }
}
