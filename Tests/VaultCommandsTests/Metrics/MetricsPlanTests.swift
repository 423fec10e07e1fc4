import Testing
import VaultMetrics
import VaultRepository
@testable import VaultCommands

/// Facts of a repository holding a full, a diff and an incr backup (those of `InfoReportTests`), a newest WAL archived
/// at 1_795_684_000, and a verify run → the samples, with their exact values.
@Suite struct MetricsPlanTests {
    static let now: Int64 = 1_795_690_000

    static func facts(lockHeld: Bool = false, verify: VerifyStatusFile? = VerifyStatusFile(ok: true, errorCount: 0,
                                                                                            timestamp: 1_795_685_000),
                      walMax: Int64? = 1_795_684_000) -> MetricsFacts {
        MetricsFacts(info: InfoReportTests.facts(lockHeld: lockHeld),
                     repos: [1: MetricsFacts.Repo(verify: verify, walMaxTimestamp: walMax)])
    }

    func value(_ samples: [MetricSample], _ name: String, type: String? = nil) -> Double? {
        let matches = samples.filter { sample in
            sample.name == name && (type == nil || sample.labels.contains { $0 == ("type", type!) })
        }
        return matches.count == 1 ? matches[0].value : nil
    }

    @Test func lastBackupOfEachTypeGivesStopTimeDurationAndSizes() {
        let samples = MetricsPlan(now: Self.now).samples([Self.facts()])
        #expect(value(samples, "pgbackrest_last_backup_timestamp", type: "full") == 1_795_683_924)
        #expect(value(samples, "pgbackrest_last_backup_timestamp", type: "diff") == 1_795_683_928)
        #expect(value(samples, "pgbackrest_last_backup_timestamp", type: "incr") == 1_795_683_931)
        #expect(value(samples, "pgbackrest_backup_duration_seconds", type: "full") == 8)
        #expect(value(samples, "pgbackrest_backup_duration_seconds", type: "diff") == 3)
        #expect(value(samples, "pgbackrest_backup_size_bytes", type: "full") == 23_213_899)
        #expect(value(samples, "pgbackrest_backup_delta_bytes", type: "diff") == 1_851_658)
        #expect(value(samples, "pgbackrest_backup_repo_size_bytes", type: "incr") == 4_664_688)
        #expect(value(samples, "pgbackrest_backup_repo_delta_bytes", type: "incr") == 560)
    }

    @Test func labelsAreStanzaRepoAndTypeOnly() throws {
        let samples = MetricsPlan(now: Self.now).samples([Self.facts()])
        let full = try #require(samples.first { $0.name == "pgbackrest_last_backup_timestamp" })
        #expect(full.labels.map(\.0) == ["stanza", "repo", "type"])
        #expect(full.labels.map(\.1) == ["main", "1", "full"])
        let names = Set(samples.flatMap { $0.labels.map(\.0) })
        #expect(names == ["stanza", "repo", "type"])
    }

    @Test func walLagAndRecoveryWindowComeFromTheNewestSegmentTime() {
        let samples = MetricsPlan(now: Self.now).samples([Self.facts()])
        #expect(value(samples, "pgbackrest_wal_archive_max_timestamp") == 1_795_684_000)
        #expect(value(samples, "pgbackrest_wal_archive_lag_seconds") == 6000)
        // From the oldest backup's stop (the full, 1_795_683_924) to the newest WAL.
        #expect(value(samples, "pgbackrest_recovery_window_seconds") == 76)
    }

    @Test func noArchivedWalGivesNoArchiveSamples() {
        let samples = MetricsPlan(now: Self.now).samples([Self.facts(walMax: nil)])
        #expect(value(samples, "pgbackrest_wal_archive_max_timestamp") == nil)
        #expect(!samples.contains { $0.name == "pgbackrest_wal_archive_lag_seconds" })
        #expect(!samples.contains { $0.name == "pgbackrest_recovery_window_seconds" })
    }

    @Test func verifyStatusIsOneWhenOkZeroWhenFailedAndAbsentWhenNeverRun() {
        let ok = MetricsPlan(now: Self.now).samples([Self.facts()])
        #expect(value(ok, "pgbackrest_verify_status") == 1)
        #expect(value(ok, "pgbackrest_verify_last_run_timestamp") == 1_795_685_000)
        let failed = MetricsPlan(now: Self.now).samples([Self.facts(verify: VerifyStatusFile(
            ok: false, errorCount: 2, timestamp: 1_795_686_000))])
        #expect(value(failed, "pgbackrest_verify_status") == 0)
        #expect(value(failed, "pgbackrest_verify_last_run_timestamp") == 1_795_686_000)
        let never = MetricsPlan(now: Self.now).samples([Self.facts(verify: nil)])
        #expect(!never.contains { $0.name.hasPrefix("pgbackrest_verify_") })
    }

    @Test func stanzaStatusIsInfosCode() {
        #expect(value(MetricsPlan(now: Self.now).samples([Self.facts()]), "pgbackrest_stanza_status") == 0)
        var empty = Self.facts()
        empty.info.repos[0].backupInfo = BackupInfo(systemId: InfoReportTests.systemId, version: "15",
                                                    controlVersion: 1300, catalogVersion: 202_209_061)
        let samples = MetricsPlan(now: Self.now).samples([empty])
        #expect(value(samples, "pgbackrest_stanza_status") == 2)
        #expect(value(samples, "pgbackrest_repo_status") == 2)
        #expect(value(samples, "pgbackrest_last_backup_timestamp", type: "full") == nil)
        var missing = Self.facts()
        missing.info.repos[0] = InfoStanzaFacts.Repo(key: 1, cipher: "none", status: 1)
        #expect(value(MetricsPlan(now: Self.now).samples([missing]), "pgbackrest_stanza_status") == 1)
    }

    @Test func backupInProgressCarriesTheLockPercent() {
        let idle = MetricsPlan(now: Self.now).samples([Self.facts()])
        #expect(value(idle, "pgbackrest_backup_in_progress") == 0)
        #expect(value(idle, "pgbackrest_backup_in_progress_percent") == nil)
        let running = MetricsPlan(now: Self.now).samples([Self.facts(lockHeld: true)])
        #expect(value(running, "pgbackrest_backup_in_progress") == 1)
        #expect(value(running, "pgbackrest_backup_in_progress_percent") == 43.21)
    }

    @Test func exposedTextHasEverySeries() {
        let text = PrometheusExposition.render(MetricsPlan(now: Self.now).samples([Self.facts()]))
        #expect(text.contains("# TYPE pgbackrest_last_backup_timestamp gauge"))
        #expect(text.contains(#"pgbackrest_verify_status{stanza="main",repo="1"} 1.0"#))
        #expect(text.contains(#"pgbackrest_stanza_status{stanza="main"} 0.0"#))
    }
}
