import VaultCore
import VaultRepository

/// Which backups an expire removes from backup.info (pgBackRest 2.45 `command/expire/expire.c`, reference §8).
/// Pure: backup.info entries, retention settings and the clock in; the expired sets, the entries that remain and
/// the archive retention that then applies out. Nothing here touches storage.
///
/// - count: the newest `retention-full` fulls stay; each older full expires with every backup depending on it.
/// - time: going back from the newest full, the first full that stopped before `now - days` is the oldest kept;
///   everything older expires. When `retention-archive` was unset (archive type full) it becomes the number of
///   fulls that remain, but only when a full actually expired.
/// - diff: fulls and diffs are counted together; diffs older than the newest `retention-diff` of them expire with
///   their dependents (fulls never expire by this rule).
/// - adhoc (`--set`): that backup and its dependents; the newest full only while another full of the same db-id
///   exists (075 otherwise).
public struct ExpirePlan: Sendable, Equatable {
    /// Why a set expired; the word pgBackRest logs ("expire full backup …").
    public enum Reason: String, Sendable {
        case full
        case diff
        case timeBased = "time-based"
        case adhoc
    }

    /// One expired backup with the dependents that went with it, labels ascending.
    public struct Expiry: Sendable, Equatable {
        public var reason: Reason
        public var labels: [String]

        /// `repo1: expire full backup set 20240101-000000F, 20240101-000000F_20240102-000000I`, "set " only when
        /// dependents went too.
        public func logLine(repo: String) -> String {
            "\(repo): expire \(reason.rawValue) backup \(labels.count > 1 ? "set " : "")\(labels.joined(separator: ", "))"
        }
    }

    /// In the order the rules applied.
    public var expired: [Expiry]
    /// backup.info entries after expiry, ascending.
    public var remaining: [BackupInfo.Entry]
    /// Backups of the archive retention type to keep WAL for; nil means WAL is not expired.
    public var archiveRetention: Int?
    /// Adhoc only: the newest backup before the expire, when it was among the expired (PITR may be affected).
    public var expiredLatest: String?

    public var expiredLabels: [String] { expired.flatMap(\.labels) }

    // MARK: rules

    /// Expire by retention (count or time for fulls, then diff).
    public static func retention(backups: [BackupInfo.Entry], retention: ExpireRetention, now: Int64) -> ExpirePlan {
        var plan = ExpirePlan(expired: [], remaining: sorted(backups), archiveRetention: retention.archive)
        switch retention.fullType {
        case .count:
            if let keep = retention.full { plan.expireFullByCount(keep: keep) }
        case .time:
            if let days = retention.full {
                let fullsBefore = plan.labels(of: [.full]).count
                let expiredFulls = plan.expireFullByTime(minimumStop: now - Int64(days) * 86_400)
                if retention.archiveType == .full && retention.archiveSetting == nil && expiredFulls > 0 {
                    plan.archiveRetention = fullsBefore - expiredFulls
                }
            }
        }
        if let keep = retention.diff { plan.expireDiff(keep: keep) }
        return plan
    }

    /// Expire one backup and its dependents (`--set`). `label` must be in `backups`.
    public static func adhoc(backups: [BackupInfo.Entry], label: String, retention: ExpireRetention) throws -> ExpirePlan {
        var plan = ExpirePlan(expired: [], remaining: sorted(backups), archiveRetention: retention.archive)
        let fulls = plan.labels(of: [.full]).reversed().map { $0 }
        if let newest = fulls.first, ByteOrder.same(newest, label) {
            let anotherSameDb = fulls.count > 1 && plan.entry(fulls[1])?.dbId == plan.entry(label)?.dbId
            if !anotherSameDb {
                throw PGVError(.backupSetInvalid,
                               "full backup \(label) cannot be expired until another full backup has been created on this repo")
            }
        }
        let latest = plan.remaining.last?.label
        let labels = plan.expireWithDependents(label)
        if let latest, labels.contains(where: { ByteOrder.same($0, latest) }) { plan.expiredLatest = latest }
        plan.expired.append(Expiry(reason: .adhoc, labels: labels))
        return plan
    }

    /// `label` and every backup whose `backup-prior` chain leads to it, ascending.
    public static func dependents(of label: String, in backups: [BackupInfo.Entry]) -> [String] {
        var chain: Set<String> = [label]
        var result = [label]
        for entry in sorted(backups) where !chain.contains(entry.label) {
            if let prior = entry.prior, chain.contains(prior) {
                chain.insert(entry.label)
                result.append(entry.label)
            }
        }
        return result.sorted { ByteOrder.precedes($0, $1) }
    }

    // MARK: steps

    private mutating func expireFullByCount(keep: Int) {
        let fulls = labels(of: [.full])
        guard fulls.count > keep else { return }
        for label in fulls.prefix(fulls.count - keep) {
            expired.append(Expiry(reason: .full, labels: expireWithDependents(label)))
        }
    }

    /// Returns the number of fulls expired.
    private mutating func expireFullByTime(minimumStop: Int64) -> Int {
        let fulls = labels(of: [.full])
        guard var keep = fulls.last else { return 0 }
        for label in fulls.reversed() {
            keep = label
            if let entry = entry(label), entry.timestampStop < minimumStop { break }
        }
        var count = 0
        while let oldest = remaining.first?.label, !ByteOrder.same(oldest, keep) {
            expired.append(Expiry(reason: .timeBased, labels: expireWithDependents(oldest)))
            count += 1
        }
        return count
    }

    private mutating func expireDiff(keep: Int) {
        let candidates = labels(of: [.full, .diff])
        guard candidates.count > keep else { return }
        for label in candidates.prefix(candidates.count - keep) where entry(label)?.type == .diff {
            expired.append(Expiry(reason: .diff, labels: expireWithDependents(label)))
        }
    }

    /// Removes `label` and its dependents from `remaining`; returns them ascending.
    private mutating func expireWithDependents(_ label: String) -> [String] {
        let labels = Self.dependents(of: label, in: remaining)
        let gone = Set(labels)
        remaining.removeAll { gone.contains($0.label) }
        return labels
    }

    private func labels(of types: Set<BackupType>) -> [String] {
        remaining.filter { types.contains($0.type) }.map(\.label)
    }

    private func entry(_ label: String) -> BackupInfo.Entry? {
        remaining.first { ByteOrder.same($0.label, label) }
    }

    private static func sorted(_ backups: [BackupInfo.Entry]) -> [BackupInfo.Entry] {
        backups.sorted { ByteOrder.precedes($0.label, $1.label) }
    }
}
