import VaultMetrics
import VaultRepository

/// Turns collected facts and the current time into Prometheus gauge samples (docs/metrics.md lists them). Pure.
///
/// Labels are `stanza`, `repo` (the repository key) and `type` (full, diff, incr): low cardinality, never a
/// timestamp or a label of a backup. Per repository and backup type, the last backup is the one with the newest
/// stop time. The stanza status is the code `info` reports (`InfoReport`), so both always agree.
struct MetricsPlan {
    let now: Int64

    func samples(_ stanzas: [MetricsFacts]) -> [MetricSample] {
        var samples: [MetricSample] = []
        for facts in stanzas.sorted(by: { ByteOrder.precedes($0.info.name, $1.info.name) }) {
            let stanza = facts.info.name
            let document = InfoReport(json: true).build([facts.info])
            let status = document.arrayValue?.first?.objectValue?["status"]?.objectValue?["code"]?.int64Value ?? 99
            samples.append(MetricSample("pgbackrest_stanza_status", [("stanza", stanza)], Double(status)))
            let inProgress = facts.info.backupLockHeld
            samples.append(MetricSample("pgbackrest_backup_in_progress", [("stanza", stanza)], inProgress ? 1 : 0))
            if inProgress {
                let percent = Double(facts.info.percentComplete ?? 0) / 100
                samples.append(MetricSample("pgbackrest_backup_in_progress_percent", [("stanza", stanza)], percent))
            }
            let repoStatuses = document.arrayValue?.first?.objectValue?["repo"]?.arrayValue ?? []
            for repo in facts.info.repos {
                let labels = [("stanza", stanza), ("repo", String(repo.key))]
                let repoStatus = repoStatuses.compactMap(\.objectValue).first { $0["key"]?.int64Value == Int64(repo.key) }
                let code = repoStatus?["status"]?.objectValue?["code"]?.int64Value ?? Int64(repo.status)
                samples.append(MetricSample("pgbackrest_repo_status", labels, Double(code)))
                samples += backupSamples(repo, labels: labels)
                samples += archiveSamples(repo, extra: facts.repos[repo.key], labels: labels)
                if let verify = facts.repos[repo.key]?.verify {
                    samples.append(MetricSample("pgbackrest_verify_status", labels, verify.ok ? 1 : 0))
                    samples.append(MetricSample("pgbackrest_verify_last_run_timestamp", labels, Double(verify.timestamp)))
                }
            }
        }
        return samples
    }

    /// The last backup of each type: stop time, duration and sizes.
    private func backupSamples(_ repo: InfoStanzaFacts.Repo, labels: [(String, String)]) -> [MetricSample] {
        guard let backups = repo.backupInfo?.backups else { return [] }
        var samples: [MetricSample] = []
        for type in [BackupType.full, .diff, .incr] {
            guard let last = backups.filter({ $0.type == type }).max(by: { $0.timestampStop < $1.timestampStop })
            else { continue }
            let typed = labels + [("type", type.rawValue)]
            samples.append(MetricSample("pgbackrest_last_backup_timestamp", typed, Double(last.timestampStop)))
            samples.append(MetricSample("pgbackrest_backup_duration_seconds", typed,
                                        Double(last.timestampStop - last.timestampStart)))
            samples.append(MetricSample("pgbackrest_backup_size_bytes", typed, Double(last.size)))
            samples.append(MetricSample("pgbackrest_backup_delta_bytes", typed, Double(last.sizeDelta)))
            samples.append(MetricSample("pgbackrest_backup_repo_size_bytes", typed, Double(last.repoSize)))
            samples.append(MetricSample("pgbackrest_backup_repo_delta_bytes", typed, Double(last.repoSizeDelta)))
        }
        return samples
    }

    /// Newest archived WAL time, the lag behind now, and the recovery window: from the stop of the oldest backup
    /// still in the repository to the newest archived WAL.
    private func archiveSamples(_ repo: InfoStanzaFacts.Repo, extra: MetricsFacts.Repo?,
                                labels: [(String, String)]) -> [MetricSample] {
        guard let walMax = extra?.walMaxTimestamp else { return [] }
        var samples = [
            MetricSample("pgbackrest_wal_archive_max_timestamp", labels, Double(walMax)),
            MetricSample("pgbackrest_wal_archive_lag_seconds", labels, Double(max(0, now - walMax))),
        ]
        if let oldest = repo.backupInfo?.backups.map(\.timestampStop).min() {
            samples.append(MetricSample("pgbackrest_recovery_window_seconds", labels, Double(max(0, walMax - oldest))))
        }
        return samples
    }
}
