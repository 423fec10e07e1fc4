import VaultCore

/// The test every command that must not run while stopped performs first (pgBackRest's `lockStopTest`): the
/// stanza's own stop file, then `all.stop`. Either present is `.stop` (062).
public enum StopFileCheck {
    /// Throws `.stop` (062) "stop file exists for stanza x" or "stop file exists for all stanzas".
    public static func verify(lockPath: String, stanza: String?) async throws {
        if let stanza, try await StopFile(lockPath: lockPath, stanza: stanza).exists() {
            throw PGVError(.stop, "stop file exists for stanza \(stanza)")
        }
        if try await StopFile(lockPath: lockPath, stanza: nil).exists() {
            throw PGVError(.stop, "stop file exists for all stanzas")
        }
    }

    /// The same test with `lock-path` and `--stanza` taken from the command's configuration.
    public static func verify(_ context: CommandContext) async throws {
        try await verify(lockPath: lockPath(context), stanza: context.stanza)
    }

    /// `lock-path` (default `/tmp/pgbackrest`).
    static func lockPath(_ context: CommandContext) -> String {
        context.config.string("lock-path") ?? "/tmp/pgbackrest"
    }
}
