import VaultConfig

/// The commands pgvault implements. A pgBackRest command name missing here is recognised by the parser but exits
/// with `.notImplemented` (201).
public enum CommandRegistry {
    public static let commands: [any VaultCommand.Type] = [
        AnnotateCommand.self,
        ArchiveGetCommand.self,
        ArchivePushCommand.self,
        BackupCommand.self,
        CheckCommand.self,
        ExpireCommand.self,
        ExporterCommand.self,
        InfoCommand.self,
        MetricsCommand.self,
        RepoGetCommand.self,
        RepoLsCommand.self,
        RestoreCommand.self,
        StanzaCreateCommand.self,
        StanzaDeleteCommand.self,
        StanzaUpgradeCommand.self,
        StartCommand.self,
        StopCommand.self,
        VerifyCommand.self,
    ]

    static let byName: [String: any VaultCommand.Type] = Dictionary(
        uniqueKeysWithValues: commands.map { ($0.name, $0) })

    /// The option table with every registered command marked implemented (help shows which are).
    public static let table: OptionTable = OptionTable.standard.markingImplemented(
        Set(commands.map { $0.name }).union(["help", "version"]))

    public static func command(named name: String) -> (any VaultCommand.Type)? { byName[name] }
}
