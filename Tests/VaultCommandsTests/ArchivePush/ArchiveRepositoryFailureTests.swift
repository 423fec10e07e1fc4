import Testing
import VaultCore
@testable import VaultCommands

@Suite struct ArchiveRepositoryFailureTests {
    @Test func namesTheRepositoryOnce() {
        let failure = ArchiveRepositoryFailure(label: "repo2", error: PGVError(.fileMissing, "repo2: unable to load info file",
                                                                               hint: "is stanza 'main' created?"))
        #expect(failure.line == "repo2: [FileMissingError] unable to load info file")
        #expect(failure.logText == "repo2: [FileMissingError] unable to load info file\nHINT: is stanza 'main' created?")
    }

    @Test func combinesFailuresIntoOneErrorWithDistinctHints() {
        let failures = [
            ArchiveRepositoryFailure(label: "repo1", error: PGVError(.archiveMismatch, "a", hint: "h1")),
            ArchiveRepositoryFailure(label: "repo2", error: PGVError(.crypto, "b", hint: "h1")),
            ArchiveRepositoryFailure(label: "repo3", error: PGVError(.fileOpen, "c", hint: "h2")),
        ]
        #expect(ArchiveRepositoryFailure.combined(.repoInvalid, "unable to find a valid repository", failures)
                == PGVError(.repoInvalid, "unable to find a valid repository: repo1: [ArchiveMismatchError] a; "
                            + "repo2: [CryptoError] b; repo3: [FileOpenError] c", hint: "h1; h2"))
    }
}
