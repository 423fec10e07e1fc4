import VaultConfig
import VaultCore

/// The restore options of pgBackRest 2.45 (`--set`, `--type`, `--target*`, `--delta`, `--force`, remapping,
/// `--recovery-option`, `--archive-mode`), read once from the resolved configuration so that the plan and the
/// recovery settings are pure functions of this value.
public struct RestoreOptions: Sendable, Equatable {
    /// `--type` values of restore.
    public enum RecoveryType: String, Sendable, CaseIterable {
        case `default`, immediate, time, xid, lsn, name, preserve, none, standby

        /// Types that carry a `--target` (written as `recovery_target_<type>`).
        public var hasTarget: Bool { [.time, .xid, .lsn, .name].contains(self) }
    }

    public enum TargetAction: String, Sendable, CaseIterable {
        case pause, promote, shutdown
    }

    /// `--set`; nil means `latest`.
    public var set: String?
    public var type: RecoveryType
    /// True when `--type` was given (an offline backup restored without it becomes type none).
    public var typeGiven: Bool
    public var target: String?
    public var targetExclusive: Bool
    /// `--target-action` when it applies to the type (immediate, time, xid, lsn, name); nil otherwise.
    public var targetAction: TargetAction?
    public var targetTimeline: String?
    /// `--recovery-option` pairs in the order given (keys as typed; `-` becomes `_` when written).
    public var recoveryOptions: [OptionHashEntry]
    /// `--archive-mode=off` writes `archive_mode = 'off'`.
    public var archiveModeOff: Bool
    public var delta: Bool
    public var force: Bool
    /// `--tablespace-map` name-or-oid → path, in the order given.
    public var tablespaceMap: [OptionHashEntry]
    public var tablespaceMapAll: String?
    /// `--link-map` link (relative to PGDATA) → destination.
    public var linkMap: [OptionHashEntry]
    public var linkAll: Bool
    /// `--repo`; nil searches every repository in index order.
    public var repo: Int?
    public var processMax: Int

    public init(set: String? = nil, type: RecoveryType = .default, typeGiven: Bool = false, target: String? = nil,
                targetExclusive: Bool = false, targetAction: TargetAction? = nil, targetTimeline: String? = nil,
                recoveryOptions: [OptionHashEntry] = [], archiveModeOff: Bool = false, delta: Bool = false,
                force: Bool = false, tablespaceMap: [OptionHashEntry] = [], tablespaceMapAll: String? = nil,
                linkMap: [OptionHashEntry] = [], linkAll: Bool = false, repo: Int? = nil, processMax: Int = 1) {
        self.set = set
        self.type = type
        self.typeGiven = typeGiven
        self.target = target
        self.targetExclusive = targetExclusive
        self.targetAction = targetAction
        self.targetTimeline = targetTimeline
        self.recoveryOptions = recoveryOptions
        self.archiveModeOff = archiveModeOff
        self.delta = delta
        self.force = force
        self.tablespaceMap = tablespaceMap
        self.tablespaceMapAll = tablespaceMapAll
        self.linkMap = linkMap
        self.linkAll = linkAll
        self.repo = repo
        self.processMax = processMax
    }

    /// Reads the options of the `restore` command. The parser has already checked allowed values and the
    /// dependencies of `--target*` on `--type`; `--db-include`/`--db-exclude` are refused here (not built yet).
    public init(config: ResolvedConfig) throws {
        if !config.list("db-include").isEmpty || !config.list("db-exclude").isEmpty {
            throw PGVError(.notImplemented, "selective restore (--db-include, --db-exclude) is not implemented yet",
                           hint: "restore the whole cluster, then drop the databases that are not needed")
        }
        let setValue = config.string("set") ?? "latest"
        let typeText = config.string("type") ?? "default"
        guard let type = RecoveryType(rawValue: typeText) else {
            throw PGVError(.optionInvalidValue, "'\(typeText)' is not allowed for 'type' option")
        }
        var action: TargetAction?
        if [.immediate, .time, .xid, .lsn, .name].contains(type), let text = config.string("target-action") {
            action = TargetAction(rawValue: text)
        }
        self.init(
            set: setValue == "latest" ? nil : setValue, type: type,
            typeGiven: config.source("type").map { $0 != .defaultValue } ?? false,
            target: type.hasTarget ? config.string("target") : nil,
            targetExclusive: [.time, .xid, .lsn].contains(type) && config.bool("target-exclusive"),
            targetAction: action,
            targetTimeline: config.string("target-timeline"),
            recoveryOptions: config.hashEntries("recovery-option"),
            archiveModeOff: config.string("archive-mode") == "off",
            delta: config.bool("delta"), force: config.bool("force"),
            tablespaceMap: config.hashEntries("tablespace-map"),
            tablespaceMapAll: config.string("tablespace-map-all"),
            linkMap: config.hashEntries("link-map"), linkAll: config.bool("link-all"),
            repo: config.int("repo"), processMax: max(1, config.int("process-max") ?? 1))
    }
}
