/// `verify --output=text` as pgBackRest 2.45 renders it (reference §9): nothing when the stanza is clean and
/// `--verbose` is off; otherwise `stanza:` / `status:`, then an `archiveId:` line per archive id and a `backup:` line
/// per backup that has errors (every one with `--verbose`), each followed by its per-reason counts (only the non-zero
/// ones unless verbose). Beyond 2.45, each entry then names its bad files (`invalid checksum '<path>'`, the wording
/// of pgBackRest's log lines), its WAL gaps and duplicates, its manifest problems and the WAL it needs but lacks.
public enum VerifyTextRenderer {
    public static func render(_ report: VerifyReport, verbose: Bool) -> String {
        guard verbose || report.status == .error else { return "" }
        var lines = ["stanza: \(report.stanza)", "status: \(report.status.rawValue)"]
        for problem in report.problems { lines.append("  \(problem)") }
        for file in report.infoFiles { lines.append("  " + describe(file)) }
        if verbose && report.archives.isEmpty && report.problems.isEmpty { lines.append("  archiveId: none found") }
        for archive in report.archives where verbose || archive.hasErrors {
            lines.append("  archiveId: \(archive.archiveId), total WAL checked: \(archive.totalChecked), "
                         + "total valid WAL: \(archive.totalValid)")
            if archive.totalChecked > 0, verbose || archive.counts.total > 0 {
                lines.append("    " + counts(archive.counts, verbose: verbose))
            }
            for gap in archive.gaps { lines.append("    wal gap: \(gap.start) - \(gap.stop)") }
            for segment in archive.duplicates { lines.append("    duplicate WAL '\(segment)'") }
            for file in archive.invalidFiles { lines.append("    " + describe(file)) }
        }
        if verbose && report.backups.isEmpty && report.problems.isEmpty { lines.append("  backup: none found") }
        for backup in report.backups where verbose || (backup.status != .valid && backup.status != .inProgress) {
            lines.append("  backup: \(backup.label), status: \(backup.status.rawValue), total files checked: "
                         + "\(backup.totalChecked), total valid files: \(backup.totalValid)")
            if backup.totalChecked > 0, verbose || backup.counts.total > 0 {
                lines.append("    " + counts(backup.counts, verbose: verbose))
            }
            if backup.skipped > 0 { lines.append("    skipped (block incremental, not supported): \(backup.skipped)") }
            for file in backup.manifestProblems { lines.append("    manifest: " + describe(file)) }
            for file in backup.invalidFiles { lines.append("    " + describe(file)) }
            for range in backup.missingWal { lines.append("    wal missing: \(range.start) - \(range.stop)") }
        }
        return lines.joined(separator: "\n")
    }

    /// `missing: 0, checksum invalid: 1, size invalid: 0, other: 0`, zero counts left out unless verbose.
    static func counts(_ counts: VerifyReport.ReasonCounts, verbose: Bool) -> String {
        let parts = [("missing", counts.missing), ("checksum invalid", counts.checksum), ("size invalid", counts.size),
                     ("other", counts.other)]
        return parts.filter { verbose || $0.1 > 0 }.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
    }

    /// `invalid checksum '<path>'` with the detail after a colon.
    static func describe(_ file: VerifyReport.InvalidFile) -> String {
        "\(file.reason.logText) '\(file.path)'" + (file.detail.map { ": \($0)" } ?? "")
    }
}
