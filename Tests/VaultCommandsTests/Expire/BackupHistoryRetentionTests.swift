import Testing
import VaultRepository
@testable import VaultCommands

@Suite struct BackupHistoryRetentionTests {
    /// 2024-03-10 00:00:00 UTC.
    static let now: Int64 = 1_710_028_800

    static let history = BackupHistoryRetention(days: 30, now: now, stamp: BackupLabel.Stamp.utc)

    @Test func theBoundaryIsTheFullLabelOfNowMinusTheDays() {
        #expect(Self.history.minimumLabel == "20240209-000000F")
        #expect(Self.history.boundaryYear == "2024")
    }

    @Test func olderYearsGoWholeAndTheBoundaryYearFileByFile() {
        let files = ["20240101-000000F.manifest.gz", "20240101-000000F_20240102-000000I.manifest.gz",
                     "20240208-000000F.manifest.gz", "20240301-000000F.manifest.gz", "notes.txt"]
        let steps = Self.history.steps(years: ["2025", "2024", "2023", "1999", "backup.info"], boundaryFiles: files,
                                       current: ["20240208-000000F"], repo: "repo1")
        #expect(steps == [
            .log("repo1: remove expired backup history path 2023"),
            .removeYear("2023"),
            .log("repo1: remove expired backup history manifest 20240101-000000F_20240102-000000I.manifest.gz"),
            .removeManifest(year: "2024", file: "20240101-000000F_20240102-000000I.manifest.gz"),
            .log("repo1: remove expired backup history manifest 20240101-000000F.manifest.gz"),
            .removeManifest(year: "2024", file: "20240101-000000F.manifest.gz"),
        ])
    }

    @Test func zeroDaysRemovesEveryExpiredManifestUpToNow() {
        let history = BackupHistoryRetention(days: 0, now: Self.now, stamp: BackupLabel.Stamp.utc)
        let steps = history.steps(years: ["2024"], boundaryFiles: ["20240309-000000F.manifest.gz"], current: [],
                                  repo: "repo1")
        #expect(steps.contains(.removeManifest(year: "2024", file: "20240309-000000F.manifest.gz")))
    }
}
