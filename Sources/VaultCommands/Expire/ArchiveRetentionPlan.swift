import VaultCore
import VaultRepository

/// What happens to the WAL of each archive id once backups have expired (reference §8 "Archive retention",
/// pgBackRest 2.45 `removeExpiredArchive`). Pure: the remaining backup.info entries, both info files' histories
/// and the archive ids present in the repository in; one action per archive id out.
///
/// Of the backups of the retention type (full; full+diff; or all), newest first, the newest `retention` are
/// retained. Per archive id, the oldest retained backup of that id is the boundary: WAL before its start goes,
/// except each older backup's own start..stop. An archive id without any backup of the type is removed whole,
/// unless it is the current one.
public struct ArchiveRetentionPlan: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// No retained backup uses this (non-current) archive id: `archive/<stanza>/<id>` goes.
        case removeArchiveId
        /// Nothing to do: the current id without backups, or a boundary backup without WAL (offline).
        case keep
        /// Remove WAL outside the ranges.
        case expire(ArchiveRangeRemoval)
    }

    public struct Item: Sendable, Equatable {
        public var archiveId: String
        public var action: Action
    }

    /// In archive.info history order, oldest first; only ids present in the repository.
    public var items: [Item]

    /// nil when there are fewer backups of the retention type than `retention` (too soon to expire WAL).
    /// FormatError (029) when archive.info and backup.info histories disagree.
    public static func plan(remaining: [BackupInfo.Entry], retention: Int, type: BackupType,
                            archiveHistory: [ArchiveInfo.History], archiveCurrentId: UInt32,
                            backupHistory: [PgHistory], archiveIdsOnDisk: [String]) throws -> ArchiveRetentionPlan? {
        guard let newestFirst = candidates(remaining: remaining, retention: retention, type: type) else { return nil }
        let backups = remaining.sorted { ByteOrder.precedes($0.label, $1.label) }
        try checkHistories(archive: archiveHistory, backup: backupHistory)

        let retained = Set(newestFirst.prefix(retention))
        let onDisk = Set(archiveIdsOnDisk)
        var items: [Item] = []
        for history in archiveHistory.sorted(by: { $0.id < $1.id }) where onDisk.contains(history.archiveId) {
            let local = newestFirst.reversed().filter { label in backups.first { $0.label == label }?.dbId == history.id }
            guard let newestLocal = local.last else {
                items.append(Item(archiveId: history.archiveId,
                                  action: history.id == archiveCurrentId ? .keep : .removeArchiveId))
                continue
            }
            let boundaryLabel = local.first { retained.contains($0) } ?? newestLocal
            guard let boundary = backups.first(where: { $0.label == boundaryLabel }),
                  let expireMax = boundary.archiveStart else {
                items.append(Item(archiveId: history.archiveId, action: .keep))
                continue
            }
            var ranges: [ArchiveRangeRemoval.Range] = []
            for entry in backups where entry.dbId == history.id && !ByteOrder.precedes(boundaryLabel, entry.label) {
                guard let start = entry.archiveStart else { continue }
                ranges.append(.init(label: entry.label, start: start,
                                    stop: entry.label == boundaryLabel ? nil : entry.archiveStop))
            }
            items.append(Item(archiveId: history.archiveId, action: .expire(ArchiveRangeRemoval(
                archiveId: history.archiveId, boundaryLabel: boundaryLabel, expireMax: expireMax, ranges: ranges))))
        }
        return ArchiveRetentionPlan(items: items)
    }

    /// The labels of the retention type, newest first; nil when there are fewer than `retention` of them (or none),
    /// which means it is too soon to expire WAL and archive.info need not be read.
    public static func candidates(remaining: [BackupInfo.Entry], retention: Int, type: BackupType) -> [String]? {
        let types: Set<BackupType> = switch type {
        case .full: [.full]
        case .diff: [.full, .diff]
        case .incr: [.full, .diff, .incr]
        }
        let newestFirst = remaining.filter { types.contains($0.type) }.map(\.label).sorted { ByteOrder.precedes($1, $0) }
        guard !newestFirst.isEmpty, retention <= newestFirst.count else { return nil }
        return newestFirst
    }

    /// Position by position from the newest, every archive.info entry must match backup.info's (id, system id,
    /// version).
    static func checkHistories(archive: [ArchiveInfo.History], backup: [PgHistory]) throws {
        let archiveNewest = archive.sorted { $0.id > $1.id }
        let backupNewest = backup.sorted { $0.id > $1.id }
        for (index, entry) in archiveNewest.enumerated() {
            guard index < backupNewest.count, backupNewest[index].id == entry.id,
                  backupNewest[index].systemId == entry.systemId, backupNewest[index].version == entry.version else {
                throw PGVError(.format, "archive expiration cannot continue - archive and backup history lists do not match")
            }
        }
    }

    /// True for an archive id directory name: `^[0-9]+(\.[0-9]+)*-[0-9]+$`.
    public static func isArchiveId(_ name: String) -> Bool {
        guard let dash = name.lastIndex(of: "-") else { return false }
        let version = name[..<dash]
        let id = name[name.index(after: dash)...]
        guard !id.isEmpty, id.allSatisfy(\.isASCIIDigit) else { return false }
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
