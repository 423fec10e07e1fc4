/// An indexed option group: `repo1-path` … `repo256-path`, `pg1-port` … `pg256-port`.
public enum OptionGroup: String, Sendable, CaseIterable {
    case repo
    case pg

    /// Highest index pgBackRest accepts (`CFG_OPTION_KEY_MAX`).
    public static let maxIndex = 256
}
