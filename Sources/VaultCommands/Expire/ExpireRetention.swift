import VaultConfig
import VaultRepository

/// The retention settings of one repository (`repoN-retention-*`), with the defaults pgBackRest 2.45 derives while
/// loading its configuration (`config/load.c`): when `repoN-retention-archive` is unset it follows
/// `repoN-retention-full` (archive type full, full type count) or `repoN-retention-diff` (archive type diff).
public struct ExpireRetention: Sendable, Equatable {
    public enum FullType: String, Sendable { case count, time }

    /// The repository index (`repo1` → 1), for option names in messages.
    public var repoIndex: Int
    /// Fulls to keep (count) or days (time).
    public var full: Int?
    public var fullType: FullType
    /// Fulls and diffs counted together; diffs beyond it expire.
    public var diff: Int?
    /// `repoN-retention-archive` as configured.
    public var archiveSetting: Int?
    public var archiveType: BackupType
    /// Days of `backup.history` manifests to keep.
    public var history: Int?

    public init(repoIndex: Int = 1, full: Int? = nil, fullType: FullType = .count, diff: Int? = nil,
                archive: Int? = nil, archiveType: BackupType = .full, history: Int? = nil) {
        self.repoIndex = repoIndex
        self.full = full
        self.fullType = fullType
        self.diff = diff
        self.archiveSetting = archive
        self.archiveType = archiveType
        self.history = history
    }

    /// The settings of `repo` as resolved from the command line, environment and pgbackrest.conf.
    public init(_ repo: RepoOptions) {
        self.init(repoIndex: repo.index, full: repo.retentionFull,
                  fullType: FullType(rawValue: repo.retentionFullType) ?? .count, diff: repo.retentionDiff,
                  archive: repo.retentionArchive, archiveType: BackupType(rawValue: repo.retentionArchiveType) ?? .full,
                  history: repo.retentionHistory)
    }

    /// `repo1-retention-full` and friends: the indexed option name pgBackRest prints.
    public func optionName(_ suffix: String) -> String { "repo\(repoIndex)-retention-\(suffix)" }

    /// Archive retention after the configuration defaults (before any time-based adjustment by the plan).
    public var archive: Int? {
        if let archiveSetting { return archiveSetting }
        switch archiveType {
        case .full: return fullType == .count ? full : nil
        case .diff: return diff
        case .incr: return nil
        }
    }

    /// The warnings pgBackRest's configuration load prints for these settings, in its order.
    public var warnings: [String] {
        var result: [String] = []
        if full == nil {
            result.append("option '\(optionName("full"))' is not set for '\(optionName("full-type"))=\(fullType.rawValue)', "
                          + "the repository may run out of space\nHINT: to retain full backups indefinitely (without "
                          + "warning), set option '\(optionName("full"))' to the maximum.")
        }
        let off = "WAL segments will not be expired: option '\(optionName("archive-type"))=\(archiveType.rawValue)' but"
        if archiveSetting == nil {
            if archiveType == .diff && diff == nil {
                result.append("\(off) neither option '\(optionName("archive"))' nor option '\(optionName("diff"))' is set")
            } else if archiveType == .incr {
                result.append("\(off) option '\(optionName("archive"))' is not set")
            }
        } else if archiveType == .diff && diff == nil {
            result.append("option '\(optionName("diff"))' is not set for '\(optionName("archive-type"))=diff'\n"
                          + "HINT: to retain differential backups indefinitely (without warning), set option "
                          + "'\(optionName("diff"))' to the maximum.")
        }
        return result
    }
}
