import Testing
@testable import VaultCommands

@Suite struct ExpiredBackupDirectoriesTests {
    static let f1 = "20240101-000000F"
    static let i1 = "20240101-000000F_20240102-000000I"
    static let f2 = "20240201-000000F"
    static let i2 = "20240201-000000F_20240202-000000I"

    @Test func everyUnlistedLabelDirectoryGoesNewestFirst() {
        let labels = ExpiredBackupDirectories.select(onDisk: [Self.f1, Self.i1, Self.f2, "backup.history", "latest"],
                                                     current: [Self.f2], resumable: nil, adhocLabel: nil)
        #expect(labels == [Self.i1, Self.f1])
    }

    @Test func aResumableNewestBackupIsSpared() {
        let labels = ExpiredBackupDirectories.select(onDisk: [Self.f1, Self.f2, Self.i2], current: [Self.f2],
                                                     resumable: .init(label: Self.i2, prior: Self.f2), adhocLabel: nil)
        #expect(labels == [Self.f1])
    }

    @Test func adhocExpireOfItsChainRemovesTheResumableBackupOnlyWhenItsPriorIsGone() {
        let gone = ExpiredBackupDirectories.select(onDisk: [Self.f1, Self.f2, Self.i2], current: [Self.f1],
                                                   resumable: .init(label: Self.i2, prior: Self.f2), adhocLabel: Self.f2)
        #expect(gone == [Self.i2, Self.f2])
        let priorKept = ExpiredBackupDirectories.select(
            onDisk: [Self.f1, Self.f2, Self.i2], current: [Self.f1, Self.f2],
            resumable: .init(label: Self.i2, prior: Self.f2), adhocLabel: Self.f2 + "_20240201-120000I")
        #expect(priorKept.isEmpty)
        let otherChain = ExpiredBackupDirectories.select(onDisk: [Self.f1, Self.f2, Self.i2], current: [Self.f2],
                                                         resumable: .init(label: Self.i2, prior: Self.f2),
                                                         adhocLabel: Self.f1)
        #expect(otherChain == [Self.f1])
    }

    @Test func thePriorIsReadOnlyForAnAdhocExpireOfTheSameChain() {
        #expect(ExpiredBackupDirectories.needsPrior(newest: Self.i2, adhocLabel: Self.f2))
        #expect(!ExpiredBackupDirectories.needsPrior(newest: Self.i2, adhocLabel: Self.f1))
        #expect(!ExpiredBackupDirectories.needsPrior(newest: Self.i2, adhocLabel: nil))
    }
}
