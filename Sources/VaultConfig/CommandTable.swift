/// Every command name the command line recognises: all of pgBackRest 2.45's user-facing commands, plus pgvault's
/// `metrics` and `exporter`. Lock types and parameter rules follow pgBackRest's command table.
public enum CommandTable {
    /// Internal roles a command may be started in as `command:role`, hidden from `help`: pgBackRest's detached
    /// asynchronous workers `archive-push:async` and `archive-get:async`, which take the command's options.
    public static let internalRoles: [String: Set<String>] = ["archive-get": ["async"], "archive-push": ["async"]]

    public static let all: [CommandDefinition] = [
        CommandDefinition(
            name: "annotate", summary: "Add or modify backup annotation.", lockType: .backup, requiresStanza: true,
            logsToFile: false),
        CommandDefinition(
            name: "archive-get", summary: "Get a WAL segment from the archive.", lockType: .archive,
            requiresStanza: true, allowsParameters: true, logsToFile: false),
        CommandDefinition(
            name: "archive-push", summary: "Push a WAL segment to the archive.", lockType: .archive,
            requiresStanza: true, allowsParameters: true, logsToFile: false),
        CommandDefinition(name: "backup", summary: "Backup a database cluster.", lockType: .backup, requiresStanza: true),
        CommandDefinition(
            name: "check", summary: "Check the configuration.", requiresStanza: true, logsToFile: false),
        CommandDefinition(
            name: "expire", summary: "Expire backups that exceed retention.", lockType: .backup, requiresStanza: true),
        CommandDefinition(
            name: "help", summary: "Get help.", allowsParameters: true, logsToFile: false, isImplemented: true),
        CommandDefinition(
            name: "info", summary: "Retrieve information about backups.", logsToFile: false, quietLifecycle: true),
        CommandDefinition(
            name: "repo-get", summary: "Get a file from a repository.", allowsParameters: true, logsToFile: false,
            quietLifecycle: true),
        CommandDefinition(
            name: "repo-ls", summary: "List files in a repository.", allowsParameters: true, logsToFile: false,
            quietLifecycle: true),
        CommandDefinition(
            name: "repo-put", summary: "Put a file in a repository.", allowsParameters: true, logsToFile: false,
            quietLifecycle: true),
        CommandDefinition(
            name: "repo-rm", summary: "Remove paths and files from a repository.", allowsParameters: true,
            logsToFile: false, quietLifecycle: true),
        CommandDefinition(name: "restore", summary: "Restore a database cluster.", requiresStanza: true),
        CommandDefinition(name: "server", summary: "pgvault server."),
        CommandDefinition(
            name: "server-ping", summary: "Ping pgvault server.", allowsParameters: true, logsToFile: false),
        CommandDefinition(
            name: "stanza-create", summary: "Create the required stanza data.", lockType: .all, requiresStanza: true),
        CommandDefinition(
            name: "stanza-delete", summary: "Delete a stanza.", lockType: .all, requiresStanza: true),
        CommandDefinition(
            name: "stanza-upgrade", summary: "Upgrade a stanza.", lockType: .all, requiresStanza: true),
        CommandDefinition(name: "start", summary: "Allow pgvault processes to run."),
        CommandDefinition(name: "stop", summary: "Stop pgvault processes from running."),
        CommandDefinition(name: "verify", summary: "Verify contents of the repository.", requiresStanza: true),
        CommandDefinition(
            name: "version", summary: "Get version.", logsToFile: false, isImplemented: true),
        CommandDefinition(
            name: "metrics", summary: "Print Prometheus metrics of the repositories once.", logsToFile: false,
            quietLifecycle: true),
        CommandDefinition(
            name: "exporter", summary: "Serve Prometheus metrics of the repositories over HTTP."),
    ]
}
