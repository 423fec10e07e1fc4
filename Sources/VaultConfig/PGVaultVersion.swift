/// Version strings printed by `version` and `help`.
public enum PGVaultVersion {
    /// pgvault's own version.
    public static let current = "0.1.0"
    /// The pgBackRest release whose command line, config and repository format pgvault follows.
    public static let pgBackRestCompatibility = "2.45"

    /// `pgvault 0.1.0 (pgBackRest 2.45 compatible)`, the line `version` prints.
    public static var banner: String { "pgvault \(current) (pgBackRest \(pgBackRestCompatibility) compatible)" }
}
