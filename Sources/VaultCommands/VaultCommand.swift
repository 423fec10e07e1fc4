/// One pgvault command (backup, restore, info, …). The dispatcher resolves the configuration, sets up logging and
/// locks, then calls `run`; the returned value is the process exit code on success (0, or 1 for archive-get's
/// "not found"). Failures are thrown as `PGVError` and become `ERROR: [NNN]` plus exit code NNN.
public protocol VaultCommand: Sendable {
    /// The command word, as in pgBackRest (`stanza-create`).
    static var name: String { get }
    init()
    func run(_ context: CommandContext) async throws -> Int32
}
