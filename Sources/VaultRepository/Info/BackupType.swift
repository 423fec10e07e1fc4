/// `full`, `diff` or `incr`, as written in backup.info and manifests; the label suffix is F, D or I.
public enum BackupType: String, Sendable, CaseIterable {
    case full, diff, incr

    /// The letter ending a label of this type.
    public var labelSuffix: Character {
        switch self {
        case .full: "F"
        case .diff: "D"
        case .incr: "I"
        }
    }
}
