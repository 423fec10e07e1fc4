import VaultCore

/// `start`: removes the stop file written by `stop` (the stanza's, or `all.stop` without `--stanza`); a missing file
/// is only a warning, as in pgBackRest.
public struct StartCommand: VaultCommand {
    public static let name = "start"
    public init() {}

    public func run(_ context: CommandContext) async throws -> Int32 {
        let stopFile = StopFile(lockPath: StopFileCheck.lockPath(context), stanza: context.stanza)
        if try await stopFile.exists() {
            try await stopFile.storage().remove(stopFile.fileName, errorOnMissing: false)
        } else {
            context.logger.warning("stop file does not exist\(context.stanza.map { " for stanza \($0)" } ?? "")")
        }
        return 0
    }
}
