// The option rows. Facts (names, types, defaults, allowed values, ranges, commands, sections, dependencies) follow
// pgBackRest 2.45's `src/build/config/config.yaml`; summaries are our own words. pgvault's own options are marked.

private let KiB = 1024.0
private let MiB = KiB * 1024
private let GiB = MiB * 1024
private let TiB = GiB * 1024
private let PiB = TiB * 1024

/// Commands that move bytes to or from a repository (pgBackRest's `buffer-size` list) plus pgvault's metrics/exporter.
private let ioCommands = [
    "annotate", "archive-get", "archive-push", "backup", "check", "expire", "info", "repo-get", "repo-ls", "repo-put",
    "repo-rm", "restore", "server", "server-ping", "stanza-create", "stanza-delete", "stanza-upgrade", "verify",
    "metrics", "exporter",
]
/// Commands that open a repository (pgBackRest's `repo-type` list) plus pgvault's metrics/exporter.
private let repoCommands = [
    "annotate", "archive-get", "archive-push", "backup", "check", "expire", "info", "repo-get", "repo-ls", "repo-put",
    "repo-rm", "restore", "stanza-create", "stanza-delete", "stanza-upgrade", "verify", "metrics", "exporter",
]
/// Commands that take `--repo` to pick one repository.
private let repoSelectCommands = [
    "annotate", "archive-get", "backup", "expire", "info", "repo-get", "repo-ls", "repo-put", "repo-rm", "restore",
    "stanza-delete", "verify", "metrics", "exporter",
]
/// Commands that may talk to a remote pgvault or run sub-processes (pgBackRest's `cmd` list).
private let remoteCommands = [
    "archive-get", "archive-push", "backup", "check", "info", "repo-get", "repo-ls", "repo-put", "repo-rm", "restore",
    "stanza-create", "stanza-delete", "stanza-upgrade", "verify",
]
/// Commands that connect to PostgreSQL (pgBackRest's `pg-database` list).
private let databaseCommands = ["backup", "check", "stanza-create", "stanza-delete", "stanza-upgrade"]
/// Commands that know where PGDATA is (pgBackRest's `pg-local` list).
private let pgCommands = [
    "archive-get", "archive-push", "backup", "check", "restore", "stanza-create", "stanza-delete", "stanza-upgrade",
]
/// Commands that may reach a repository host (pgBackRest's `repo-host-cmd` list).
private let repoHostCommands = [
    "annotate", "archive-get", "archive-push", "check", "info", "repo-get", "repo-ls", "repo-put", "repo-rm", "restore",
    "stanza-create", "stanza-delete", "stanza-upgrade", "verify",
]
private let restoreTargetTypes = ["lsn", "name", "time", "xid"]
private let logLevels = ["off", "error", "warn", "info", "detail", "debug", "trace"]
private let s3Only = OptionDependency("repo-type", values: ["s3"])

extension OptionTable {
    /// Every option of pgvault, in alphabetical order of name.
    public static let definitions: [OptionDefinition] = [
        // MARK: command-line only
        OptionDefinition(
            name: "config", type: .string, defaultValue: "/etc/pgbackrest/pgbackrest.conf", section: .commandLine,
            negatable: true,
            summary: "pgBackRest configuration file (default /etc/pgvault/pgvault.conf if present)."),
        OptionDefinition(
            name: "config-include-path", type: .path, defaultValue: "/etc/pgbackrest/conf.d", section: .commandLine,
            summary: "Path to additional configuration files (*.conf)."),
        OptionDefinition(
            name: "config-path", type: .path, defaultValue: "/etc/pgbackrest", section: .commandLine,
            summary: "Base path of configuration files."),
        OptionDefinition(
            name: "dry-run", type: .boolean, defaultValue: "n", commands: ["expire"], section: .commandLine,
            summary: "Execute a dry-run of the operation."),
        OptionDefinition(
            name: "force", type: .boolean, defaultValue: "n",
            // pgvault departs from 2.45 here: `backup --force` is valid online too (the users' emergency procedure),
            // where it overrides a stale lock or stop file; offline it still means "run despite postmaster.pid".
            commands: ["backup", "restore", "stanza-create", "stanza-delete", "stop"],
            section: .commandLine, summary: "Force an operation that would otherwise be refused."),
        OptionDefinition(
            name: "ls", type: .boolean, defaultValue: "n", commands: ["archive-get"], section: .commandLine,
            summary: "List the archived WAL of the current archive id with sizes (pgvault's own)."),
        OptionDefinition(
            name: "online", type: .boolean, defaultValue: "y",
            commands: ["backup", "stanza-create", "stanza-upgrade"], section: .commandLine,
            summary: "Check that PostgreSQL is running."),
        OptionDefinition(
            name: "output", type: .string, defaultValue: "text", allowedValues: ["text", "json"],
            commands: ["info", "repo-ls", "verify"],
            commandRules: ["verify": OptionCommandRule(defaultValue: "none", allowedValues: ["none", "text", "json"])],
            section: .commandLine, summary: "Output format."),
        OptionDefinition(
            name: "set", type: .string, commands: ["annotate", "expire", "info", "restore", "verify"],
            commandRules: [
                "annotate": OptionCommandRule(required: true),
                "info": OptionCommandRule(dependency: OptionDependency("stanza")),
                "restore": OptionCommandRule(defaultValue: "latest", required: true),
            ],
            section: .commandLine, summary: "Backup set (label, or latest)."),
        OptionDefinition(
            name: "stanza", type: .string,
            commands: [
                "annotate", "archive-get", "archive-push", "backup", "check", "expire", "info", "repo-get", "repo-ls",
                "repo-put", "repo-rm", "restore", "stanza-create", "stanza-delete", "stanza-upgrade", "start", "stop",
                "verify", "metrics", "exporter",
            ],
            commandRules: [
                "info": OptionCommandRule(required: false), "repo-get": OptionCommandRule(required: false),
                "repo-ls": OptionCommandRule(required: false), "repo-put": OptionCommandRule(required: false),
                "repo-rm": OptionCommandRule(required: false), "start": OptionCommandRule(required: false),
                "stop": OptionCommandRule(required: false), "metrics": OptionCommandRule(required: false),
                "exporter": OptionCommandRule(required: false),
            ],
            section: .commandLine, required: true, summary: "Defines the stanza."),
        OptionDefinition(
            name: "target", type: .string, commands: ["restore"], section: .commandLine, required: true,
            dependency: OptionDependency("type", values: restoreTargetTypes), summary: "Recovery target."),
        OptionDefinition(
            name: "target-action", type: .string, defaultValue: "pause",
            allowedValues: ["pause", "promote", "shutdown"], commands: ["restore"], section: .commandLine,
            dependency: OptionDependency("type", values: ["immediate"] + restoreTargetTypes),
            summary: "Action to take when recovery target is reached."),
        OptionDefinition(
            name: "target-exclusive", type: .boolean, defaultValue: "n", commands: ["restore"], section: .commandLine,
            dependency: OptionDependency("type", values: ["lsn", "time", "xid"]),
            summary: "Stop just before the recovery target is reached."),
        OptionDefinition(
            name: "target-timeline", type: .string, commands: ["restore"], section: .commandLine,
            dependency: OptionDependency("type", values: ["default", "lsn", "name", "standby", "time", "xid"]),
            summary: "Recover along a timeline (number, current or latest)."),
        OptionDefinition(
            name: "type", type: .string, commands: ["backup", "info", "restore"],
            commandRules: [
                "backup": OptionCommandRule(defaultValue: "incr", allowedValues: ["full", "diff", "incr"]),
                "info": OptionCommandRule(allowedValues: ["full", "diff", "incr"]),
                "restore": OptionCommandRule(
                    defaultValue: "default",
                    allowedValues: [
                        "lsn", "name", "time", "xid", "preserve", "none", "immediate", "default", "standby",
                    ]),
            ],
            section: .commandLine, summary: "Backup type (backup, info) or recovery type (restore)."),
        OptionDefinition(
            name: "verbose", type: .boolean, defaultValue: "n", commands: ["verify"], section: .commandLine,
            summary: "Verbose output."),
        OptionDefinition(
            name: "exec-id", type: .string, section: .commandLine, isInternal: true,
            summary: "Execution id shared by the processes of one command."),
        OptionDefinition(
            name: "cipher-pass", type: .string, commands: ["repo-get", "repo-put"], section: .commandLine,
            isInternal: true, summary: "Cipher passphrase of a file read or written by repo-get/repo-put."),
        OptionDefinition(
            name: "filter", type: .string, commands: ["repo-ls"], section: .commandLine,
            summary: "Filter output with a regular expression."),
        OptionDefinition(
            name: "ignore-missing", type: .boolean, defaultValue: "n", commands: ["repo-get"], section: .commandLine,
            summary: "Ignore missing source file."),
        OptionDefinition(
            name: "raw", type: .boolean, defaultValue: "n", commands: ["repo-get", "repo-put"], section: .commandLine,
            summary: "Do not transform data (decrypt, decompress)."),
        OptionDefinition(
            name: "recurse", type: .boolean, defaultValue: "n", commands: ["repo-ls", "repo-rm"],
            section: .commandLine, summary: "Include all subpaths in output."),
        OptionDefinition(
            name: "sort", type: .string, defaultValue: "asc", allowedValues: ["none", "asc", "desc"],
            commands: ["repo-ls"], section: .commandLine, summary: "Sort output ascending, descending or none."),

        // MARK: general
        OptionDefinition(
            name: "archive-timeout", type: .time, defaultValue: "60", allowedRange: OptionRange(0.1, 86400),
            commands: ["archive-get", "archive-push", "backup", "check"],
            summary: "Archive timeout in seconds."),
        OptionDefinition(
            name: "beta", type: .boolean, defaultValue: "n", isInternal: true, summary: "Allow beta features."),
        OptionDefinition(
            name: "buffer-size", type: .size, defaultValue: "1MiB",
            allowedValues: [
                "16KiB", "32KiB", "64KiB", "128KiB", "256KiB", "512KiB", "1MiB", "2MiB", "4MiB", "8MiB", "16MiB",
            ],
            commands: ioCommands, summary: "Buffer size for I/O operations."),
        OptionDefinition(
            name: "cmd", type: .string, commands: remoteCommands,
            summary: "pgvault command used to start sub-processes and remotes."),
        OptionDefinition(
            name: "cmd-ssh", type: .string, defaultValue: "ssh", commands: remoteCommands,
            summary: "SSH client command."),
        OptionDefinition(
            name: "compress", type: .boolean, defaultValue: "y", commands: ["archive-push", "backup"],
            summary: "Use file compression (deprecated, use compress-type)."),
        OptionDefinition(
            name: "compress-level", type: .integer, commands: ["archive-push", "backup"],
            summary: "File compression level (default depends on compress-type)."),
        OptionDefinition(
            name: "compress-level-network", type: .integer, defaultValue: "3", allowedRange: OptionRange(0, 9),
            commands: [
                "annotate", "archive-get", "archive-push", "backup", "check", "info", "repo-get", "repo-ls", "repo-put",
                "restore", "stanza-create", "stanza-delete", "stanza-upgrade", "verify",
            ],
            summary: "Network compression level."),
        OptionDefinition(
            name: "compress-type", type: .string, defaultValue: "gz", allowedValues: ["none", "bz2", "gz", "lz4", "zst"],
            commands: ["archive-push", "backup"], summary: "File compression type."),
        OptionDefinition(
            name: "db-timeout", type: .time, defaultValue: "1800", allowedRange: OptionRange(0.1, 604800),
            commands: [
                "archive-get", "archive-push", "backup", "check", "repo-get", "repo-ls", "repo-put", "repo-rm",
                "stanza-create", "stanza-delete", "stanza-upgrade",
            ],
            summary: "Database query timeout in seconds."),
        OptionDefinition(
            name: "delta", type: .boolean, defaultValue: "n", commands: ["backup", "restore"],
            summary: "Restore or backup using checksums."),
        OptionDefinition(
            name: "io-timeout", type: .time, defaultValue: "60", allowedRange: OptionRange(0.1, 3600),
            commands: ioCommands, summary: "I/O timeout in seconds."),
        OptionDefinition(
            name: "job-retry", type: .integer, defaultValue: "2", allowedRange: OptionRange(0, 360),
            commands: ["archive-get", "archive-push", "backup", "restore", "verify"],
            commandRules: [
                "archive-get": OptionCommandRule(defaultValue: "1"), "archive-push": OptionCommandRule(defaultValue: "1"),
            ],
            isInternal: true, summary: "Number of retries for a failed job."),
        OptionDefinition(
            name: "job-retry-interval", type: .time, defaultValue: "15", allowedRange: OptionRange(0, 900),
            commands: ["archive-get", "archive-push", "backup", "restore", "verify"], isInternal: true,
            summary: "Seconds between job retries."),
        OptionDefinition(
            name: "lock-path", type: .path, defaultValue: "/tmp/pgbackrest",
            commands: [
                "annotate", "archive-get", "archive-push", "backup", "expire", "info", "restore", "stanza-create",
                "stanza-delete", "stanza-upgrade", "start", "stop", "metrics", "exporter",
            ],
            summary: "Path where lock files are stored."),
        OptionDefinition(
            name: "neutral-umask", type: .boolean, defaultValue: "y",
            commands: [
                "annotate", "archive-get", "archive-push", "backup", "check", "expire", "repo-get", "repo-ls",
                "repo-put", "repo-rm", "restore", "stanza-create", "stanza-delete", "stanza-upgrade", "start", "stop",
                "verify",
            ],
            summary: "Use a neutral umask (0000 plus explicit modes)."),
        OptionDefinition(
            name: "process-max", type: .integer, defaultValue: "1", allowedRange: OptionRange(1, 999),
            commands: ["archive-get", "archive-push", "backup", "restore", "verify"],
            summary: "Max processes to use for compress/transfer."),
        OptionDefinition(
            name: "protocol-timeout", type: .time, defaultValue: "1830", allowedRange: OptionRange(0.1, 604800),
            commands: [
                "annotate", "archive-get", "archive-push", "backup", "check", "info", "repo-get", "repo-ls", "repo-put",
                "repo-rm", "restore", "server", "stanza-create", "stanza-delete", "stanza-upgrade", "verify",
            ],
            summary: "Protocol timeout in seconds."),
        OptionDefinition(
            name: "repo-retry-max", type: .integer, defaultValue: "4", allowedRange: OptionRange(0, 100),
            commands: repoCommands,
            summary: "Retries of a failed repository request before giving up (pgvault)."),
        OptionDefinition(
            name: "sck-keep-alive", type: .boolean, defaultValue: "y", commands: ioCommands,
            summary: "Keep-alive enable on sockets."),
        OptionDefinition(
            name: "spool-path", type: .path, defaultValue: "/var/spool/pgbackrest",
            commands: ["archive-get", "archive-push"],
            dependency: OptionDependency("archive-async", values: ["y"]),
            summary: "Path where transient data is stored (asynchronous archiving)."),
        OptionDefinition(
            name: "tcp-keep-alive-count", type: .integer, allowedRange: OptionRange(1, 32), commands: ioCommands,
            dependency: OptionDependency("sck-keep-alive", values: ["y"]), summary: "Keep-alive count."),
        OptionDefinition(
            name: "tcp-keep-alive-idle", type: .integer, allowedRange: OptionRange(1, 3600), commands: ioCommands,
            dependency: OptionDependency("sck-keep-alive", values: ["y"]), summary: "Keep-alive idle time."),
        OptionDefinition(
            name: "tcp-keep-alive-interval", type: .integer, allowedRange: OptionRange(1, 900), commands: ioCommands,
            dependency: OptionDependency("sck-keep-alive", values: ["y"]), summary: "Keep-alive interval time."),
        OptionDefinition(
            name: "tls-server-address", type: .string, defaultValue: "localhost", commands: ["server", "server-ping"],
            summary: "TLS server address."),
        OptionDefinition(
            name: "tls-server-auth", type: .hash, commands: ["server"], required: true,
            summary: "TLS server authorized clients."),
        OptionDefinition(
            name: "tls-server-ca-file", type: .path, commands: ["server"], required: true,
            summary: "TLS server certificate authority file."),
        OptionDefinition(
            name: "tls-server-cert-file", type: .path, commands: ["server"], required: true,
            summary: "TLS server certificate file."),
        OptionDefinition(
            name: "tls-server-key-file", type: .path, commands: ["server"], required: true,
            summary: "TLS server key file."),
        OptionDefinition(
            name: "tls-server-port", type: .integer, defaultValue: "8432", allowedRange: OptionRange(1, 65535),
            commands: ["server", "server-ping"], summary: "TLS server port."),

        // MARK: logging
        OptionDefinition(
            name: "log-format", type: .string, defaultValue: "text", allowedValues: ["text", "json"],
            summary: "Log line format: text as pgBackRest, or one JSON object per line (pgvault)."),
        OptionDefinition(
            name: "log-level-console", type: .string, defaultValue: "warn", allowedValues: logLevels,
            summary: "Level for console logging."),
        OptionDefinition(
            name: "log-level-file", type: .string, defaultValue: "info", allowedValues: logLevels,
            summary: "Level for file logging."),
        OptionDefinition(
            name: "log-level-stderr", type: .string, defaultValue: "warn", allowedValues: logLevels,
            summary: "Level for stderr logging."),
        OptionDefinition(
            name: "log-path", type: .path, defaultValue: "/var/log/pgbackrest", summary: "Path where log files are stored."),
        OptionDefinition(
            name: "log-subprocess", type: .boolean, defaultValue: "n", commands: ["annotate"] + remoteCommands,
            summary: "Enable logging in subprocesses."),
        OptionDefinition(
            name: "log-timestamp", type: .boolean, defaultValue: "y", summary: "Enable timestamp in logging."),

        // MARK: archive
        OptionDefinition(
            name: "archive-async", type: .boolean, defaultValue: "n", commands: ["archive-get", "archive-push"],
            summary: "Push/get WAL segments asynchronously."),
        OptionDefinition(
            name: "archive-get-queue-max", type: .size, defaultValue: "128MiB", allowedRange: OptionRange(0, 4 * PiB),
            commands: ["archive-get"], summary: "Maximum size of the archive-get queue."),
        OptionDefinition(
            name: "archive-header-check", type: .boolean, defaultValue: "y", commands: ["archive-push"],
            summary: "Check PostgreSQL version/id in WAL headers."),
        OptionDefinition(
            name: "archive-missing-retry", type: .boolean, defaultValue: "y", commands: ["archive-get"],
            summary: "Retry missing WAL segment."),
        OptionDefinition(
            name: "archive-push-queue-max", type: .size, allowedRange: OptionRange(0, 4 * PiB),
            commands: ["archive-push"], summary: "Maximum size of the PostgreSQL archive queue."),

        // MARK: backup
        OptionDefinition(
            name: "annotation", type: .hash, commands: ["annotate", "backup"],
            commandRules: ["annotate": OptionCommandRule(required: true)],
            summary: "Annotate backup with user-defined key/value pairs."),
        OptionDefinition(
            name: "archive-check", type: .boolean, defaultValue: "y", commands: ["archive-push", "backup", "check"],
            commandRules: [
                "backup": OptionCommandRule(
                    dependency: OptionDependency("online", values: ["y"], defaultWhenUnresolved: false)),
            ],
            summary: "Check that WAL segments are in the archive before backup completes."),
        OptionDefinition(
            name: "archive-copy", type: .boolean, defaultValue: "n", commands: ["backup"],
            dependency: OptionDependency("archive-check", values: ["y"], defaultWhenUnresolved: false),
            summary: "Copy WAL segments needed for consistency to the backup."),
        OptionDefinition(
            name: "archive-mode-check", type: .boolean, defaultValue: "y", commands: ["archive-push", "backup", "check"],
            dependency: OptionDependency("archive-check", values: ["y"], defaultWhenUnresolved: false),
            summary: "Check the PostgreSQL archive_mode setting."),
        OptionDefinition(
            name: "backup-standby", type: .boolean, defaultValue: "n", commands: ["backup", "check"],
            summary: "Backup from the standby cluster."),
        OptionDefinition(
            name: "checksum-page", type: .boolean, commands: ["backup"], summary: "Validate data page checksums."),
        OptionDefinition(
            name: "exclude", type: .list, commands: ["backup"], summary: "Exclude paths/files from the backup."),
        OptionDefinition(
            name: "expire-auto", type: .boolean, defaultValue: "y", commands: ["backup"],
            summary: "Automatically run the expire command after a successful backup."),
        OptionDefinition(
            name: "manifest-save-threshold", type: .size, defaultValue: "1GiB", allowedRange: OptionRange(1, TiB),
            commands: ["backup"], summary: "Manifest save threshold during backup."),
        OptionDefinition(
            name: "resume", type: .boolean, defaultValue: "y", commands: ["backup"], summary: "Allow resume of failed backup."),
        OptionDefinition(
            name: "start-fast", type: .boolean, defaultValue: "n", commands: ["backup"],
            summary: "Force a checkpoint to start backup quickly."),
        OptionDefinition(
            name: "stop-auto", type: .boolean, defaultValue: "n", commands: ["backup"],
            summary: "Stop prior failed backup on new backup."),

        // MARK: restore
        OptionDefinition(
            name: "archive-mode", type: .string, defaultValue: "preserve", allowedValues: ["off", "preserve"],
            commands: ["restore"], summary: "Preserve or disable archiving on restored cluster."),
        OptionDefinition(
            name: "db-exclude", type: .list, commands: ["restore"], summary: "Restore excluding the specified databases."),
        OptionDefinition(
            name: "db-include", type: .list, commands: ["restore"], summary: "Restore only specified databases."),
        OptionDefinition(
            name: "link-all", type: .boolean, defaultValue: "n", commands: ["restore"], summary: "Restore all symlinks."),
        OptionDefinition(
            name: "link-map", type: .hash, commands: ["restore"], summary: "Modify the destination of a symlink."),
        OptionDefinition(
            name: "recovery-option", type: .hash, commands: ["restore"],
            dependency: OptionDependency(
                "type", values: ["default", "immediate", "lsn", "name", "time", "standby", "xid"]),
            summary: "Set an option in postgresql.auto.conf or recovery.conf."),
        OptionDefinition(
            name: "tablespace-map", type: .hash, commands: ["restore"], summary: "Restore a tablespace into the specified directory."),
        OptionDefinition(
            name: "tablespace-map-all", type: .string, commands: ["restore"],
            summary: "Restore all tablespaces into the specified directory."),

        // MARK: stanza (pg)
        OptionDefinition(
            name: "pg", type: .integer, allowedRange: OptionRange(1, 256), commands: ["backup"], section: .commandLine,
            isInternal: true, summary: "PostgreSQL index of a local process."),
        OptionDefinition(
            name: "pg-database", type: .string, defaultValue: "postgres", commands: databaseCommands, section: .stanza,
            group: .pg, dependency: OptionDependency("pg-path"), summary: "PostgreSQL database."),
        OptionDefinition(
            name: "pg-host", type: .string, commands: pgCommands, section: .stanza, group: .pg,
            summary: "PostgreSQL host for operating remotely."),
        OptionDefinition(
            name: "pg-host-cmd", type: .string, commands: databaseCommands, section: .stanza, group: .pg,
            dependency: OptionDependency("pg-host"), summary: "pgvault command on the PostgreSQL host."),
        OptionDefinition(
            name: "pg-host-config", type: .string, defaultValue: "/etc/pgbackrest/pgbackrest.conf",
            commands: databaseCommands, section: .stanza, group: .pg, dependency: OptionDependency("pg-host"),
            summary: "Configuration file on the PostgreSQL host."),
        OptionDefinition(
            name: "pg-host-port", type: .integer, allowedRange: OptionRange(0, 65535), commands: databaseCommands,
            section: .stanza, group: .pg, dependency: OptionDependency("pg-host"),
            summary: "SSH port of the PostgreSQL host."),
        OptionDefinition(
            name: "pg-host-type", type: .string, defaultValue: "ssh", allowedValues: ["ssh", "tls"], commands: pgCommands,
            group: .pg, summary: "PostgreSQL host protocol type."),
        OptionDefinition(
            name: "pg-host-user", type: .string, defaultValue: "postgres", commands: databaseCommands, section: .stanza,
            group: .pg, dependency: OptionDependency("pg-host"), summary: "PostgreSQL host logon user."),
        OptionDefinition(
            name: "pg-path", type: .path, commands: pgCommands,
            commandRules: ["archive-push": OptionCommandRule(required: false)], section: .stanza, group: .pg,
            required: true, summary: "PostgreSQL data directory."),
        OptionDefinition(
            name: "pg-port", type: .integer, defaultValue: "5432", allowedRange: OptionRange(0, 65535),
            commands: databaseCommands, section: .stanza, group: .pg, dependency: OptionDependency("pg-database"),
            summary: "PostgreSQL port."),
        OptionDefinition(
            name: "pg-socket-path", type: .path, commands: databaseCommands, section: .stanza, group: .pg,
            dependency: OptionDependency("pg-database"), summary: "PostgreSQL unix socket path."),
        OptionDefinition(
            name: "pg-user", type: .string, commands: databaseCommands, section: .stanza, group: .pg,
            dependency: OptionDependency("pg-path"), summary: "PostgreSQL database user."),
        OptionDefinition(
            name: "pg-version-force", type: .string, commands: pgCommands + ["verify"], section: .stanza,
            isInternal: true, summary: "Force PostgreSQL version."),

        // MARK: repository
        OptionDefinition(
            name: "repo", type: .integer, allowedRange: OptionRange(1, 256), commands: repoSelectCommands,
            section: .commandLine, summary: "Set repository."),
        OptionDefinition(
            name: "repo-azure-account", type: .string, commands: repoCommands, secure: true, group: .repo,
            required: true, dependency: OptionDependency("repo-type", values: ["azure"]),
            summary: "Azure repository account."),
        OptionDefinition(
            name: "repo-azure-container", type: .string, commands: repoCommands, group: .repo, required: true,
            dependency: OptionDependency("repo-type", values: ["azure"]), summary: "Azure repository container."),
        OptionDefinition(
            name: "repo-azure-endpoint", type: .string, defaultValue: "blob.core.windows.net", commands: repoCommands,
            group: .repo, dependency: OptionDependency("repo-type", values: ["azure"]),
            summary: "Azure repository endpoint."),
        OptionDefinition(
            name: "repo-azure-key", type: .string, commands: repoCommands, secure: true, group: .repo, required: true,
            dependency: OptionDependency("repo-type", values: ["azure"]), summary: "Azure repository key."),
        OptionDefinition(
            name: "repo-azure-key-type", type: .string, defaultValue: "shared", allowedValues: ["shared", "sas"],
            commands: repoCommands, group: .repo, dependency: OptionDependency("repo-type", values: ["azure"]),
            summary: "Azure repository key type."),
        OptionDefinition(
            name: "repo-azure-uri-style", type: .string, defaultValue: "host", allowedValues: ["host", "path"],
            commands: repoCommands, group: .repo, dependency: OptionDependency("repo-type", values: ["azure"]),
            summary: "Azure URI style."),
        OptionDefinition(
            name: "repo-block", type: .boolean, defaultValue: "n", commands: ["backup"], group: .repo,
            dependency: OptionDependency("repo-bundle", values: ["y"], defaultWhenUnresolved: false),
            summary: "Enable block incremental backup (beta)."),
        OptionDefinition(
            name: "repo-bundle", type: .boolean, defaultValue: "n", commands: ["backup"], group: .repo,
            summary: "Bundle files in repository."),
        OptionDefinition(
            name: "repo-bundle-limit", type: .size, defaultValue: "2MiB", allowedRange: OptionRange(8 * KiB, PiB),
            commands: ["backup"], group: .repo, dependency: OptionDependency("repo-bundle", values: ["y"]),
            summary: "Limit for file bundles."),
        OptionDefinition(
            name: "repo-bundle-size", type: .size, defaultValue: "20MiB", allowedRange: OptionRange(MiB, PiB),
            commands: ["backup"], group: .repo, dependency: OptionDependency("repo-bundle", values: ["y"]),
            summary: "Target size for file bundles."),
        OptionDefinition(
            name: "repo-cipher-pass", type: .string, commands: repoCommands, secure: true, group: .repo, required: true,
            dependency: OptionDependency("repo-cipher-type", values: ["aes-256-cbc"]),
            summary: "Repository cipher passphrase."),
        OptionDefinition(
            name: "repo-cipher-type", type: .string, defaultValue: "none", allowedValues: ["none", "aes-256-cbc"],
            commands: repoCommands, group: .repo, summary: "Cipher used to encrypt the repository."),
        OptionDefinition(
            name: "repo-gcs-bucket", type: .string, commands: repoCommands, group: .repo, required: true,
            dependency: OptionDependency("repo-type", values: ["gcs"]), summary: "GCS repository bucket."),
        OptionDefinition(
            name: "repo-gcs-endpoint", type: .string, defaultValue: "storage.googleapis.com", commands: repoCommands,
            group: .repo, dependency: OptionDependency("repo-type", values: ["gcs"]), summary: "GCS repository endpoint."),
        OptionDefinition(
            name: "repo-gcs-key", type: .string, commands: repoCommands, secure: true, group: .repo,
            dependency: OptionDependency("repo-type", values: ["gcs"]), summary: "GCS repository key."),
        OptionDefinition(
            name: "repo-gcs-key-type", type: .string, defaultValue: "service", allowedValues: ["auto", "service", "token"],
            commands: repoCommands, group: .repo, dependency: OptionDependency("repo-type", values: ["gcs"]),
            summary: "GCS repository key type."),
        OptionDefinition(
            name: "repo-hardlink", type: .boolean, defaultValue: "n", commands: ["backup"], group: .repo,
            summary: "Hardlink files between backups in the repository."),
        OptionDefinition(
            name: "repo-host", type: .string, commands: repoHostCommands + ["backup", "expire"], group: .repo,
            summary: "Repository host when operating remotely."),
        OptionDefinition(
            name: "repo-host-cmd", type: .string, commands: repoHostCommands, group: .repo,
            dependency: OptionDependency("repo-host"), summary: "pgvault command on the repository host."),
        OptionDefinition(
            name: "repo-host-config", type: .string, defaultValue: "/etc/pgbackrest/pgbackrest.conf",
            commands: repoHostCommands, group: .repo, dependency: OptionDependency("repo-host"),
            summary: "Configuration file on the repository host."),
        OptionDefinition(
            name: "repo-host-port", type: .integer, allowedRange: OptionRange(0, 65535), commands: repoHostCommands,
            group: .repo, dependency: OptionDependency("repo-host"), summary: "SSH port of the repository host."),
        OptionDefinition(
            name: "repo-host-type", type: .string, defaultValue: "ssh", allowedValues: ["ssh", "tls"],
            commands: repoHostCommands + ["backup", "expire"], group: .repo, summary: "Repository host protocol type."),
        OptionDefinition(
            name: "repo-host-user", type: .string, defaultValue: "pgbackrest", commands: repoHostCommands, group: .repo,
            dependency: OptionDependency("repo-host"), summary: "Repository host user."),
        OptionDefinition(
            name: "repo-path", type: .path, defaultValue: "/var/lib/pgbackrest", commands: repoCommands, group: .repo,
            summary: "Path where backups and archive are stored."),
        OptionDefinition(
            name: "repo-retention-archive", type: .integer, allowedRange: OptionRange(1, 9_999_999),
            commands: ["backup", "expire"], group: .repo, summary: "Number of backups worth of WAL to retain."),
        OptionDefinition(
            name: "repo-retention-archive-type", type: .string, defaultValue: "full",
            allowedValues: ["full", "diff", "incr"], commands: ["backup", "expire"], group: .repo,
            summary: "Backup type for WAL retention."),
        OptionDefinition(
            name: "repo-retention-diff", type: .integer, allowedRange: OptionRange(1, 9_999_999),
            commands: ["backup", "expire"], group: .repo, summary: "Number of differential backups to retain."),
        OptionDefinition(
            name: "repo-retention-full", type: .integer, allowedRange: OptionRange(1, 9_999_999),
            commands: ["backup", "expire"], group: .repo, summary: "Full backup retention count/time."),
        OptionDefinition(
            name: "repo-retention-full-type", type: .string, defaultValue: "count", allowedValues: ["count", "time"],
            commands: ["backup", "expire"], group: .repo, summary: "Retention type for full backups."),
        OptionDefinition(
            name: "repo-retention-history", type: .integer, allowedRange: OptionRange(0, 9_999_999),
            commands: ["backup", "expire"], group: .repo, summary: "Days of backup history manifests to retain."),
        OptionDefinition(
            name: "repo-s3-bucket", type: .string, commands: repoCommands, group: .repo, required: true,
            dependency: s3Only, summary: "S3 repository bucket."),
        OptionDefinition(
            name: "repo-s3-endpoint", type: .string, commands: repoCommands, group: .repo, dependency: s3Only,
            summary: "S3 repository endpoint (default s3.<region>.amazonaws.com)."),
        OptionDefinition(
            name: "repo-s3-key", type: .string, commands: repoCommands, secure: true, group: .repo, dependency: s3Only,
            summary: "S3 repository access key."),
        OptionDefinition(
            name: "repo-s3-key-secret", type: .string, commands: repoCommands, secure: true, group: .repo,
            dependency: s3Only, summary: "S3 repository secret access key."),
        OptionDefinition(
            name: "repo-s3-key-type", type: .string, defaultValue: "shared", allowedValues: ["shared", "auto", "web-id"],
            commands: repoCommands, group: .repo, dependency: s3Only, summary: "S3 repository key type."),
        OptionDefinition(
            name: "repo-s3-kms-key-id", type: .string, commands: repoCommands, group: .repo, dependency: s3Only,
            summary: "S3 repository KMS key (SSE-KMS)."),
        OptionDefinition(
            name: "repo-s3-region", type: .string, commands: repoCommands, group: .repo, required: true,
            dependency: s3Only, summary: "S3 repository region."),
        OptionDefinition(
            name: "repo-s3-requester-pays", type: .boolean, defaultValue: "n", commands: repoCommands, group: .repo,
            dependency: s3Only, summary: "Send the requester-pays header on S3 requests (pgvault)."),
        OptionDefinition(
            name: "repo-s3-role", type: .string, commands: repoCommands, group: .repo,
            dependency: OptionDependency("repo-s3-key-type", values: ["auto", "web-id"]),
            summary: "S3 repository role (IAM role name or ARN)."),
        OptionDefinition(
            name: "repo-s3-storage-class", type: .string, commands: repoCommands, group: .repo, dependency: s3Only,
            summary: "S3 storage class of written objects, e.g. STANDARD_IA (pgvault)."),
        OptionDefinition(
            name: "repo-s3-token", type: .string, commands: repoCommands, secure: true, group: .repo, dependency: s3Only,
            summary: "S3 repository security token."),
        OptionDefinition(
            name: "repo-s3-uri-style", type: .string, defaultValue: "host", allowedValues: ["host", "path"],
            commands: repoCommands, group: .repo, dependency: s3Only, summary: "S3 URI style."),
        OptionDefinition(
            name: "repo-storage-ca-file", type: .string, commands: repoCommands, group: .repo,
            dependency: OptionDependency("repo-type", values: ["azure", "gcs", "s3"]),
            summary: "Repository storage CA file."),
        OptionDefinition(
            name: "repo-storage-ca-path", type: .path, commands: repoCommands, group: .repo,
            dependency: OptionDependency("repo-type", values: ["azure", "gcs", "s3"]),
            summary: "Repository storage CA path."),
        OptionDefinition(
            name: "repo-storage-host", type: .string, commands: repoCommands, group: .repo,
            dependency: OptionDependency("repo-type", values: ["azure", "s3"]), summary: "Repository storage host."),
        OptionDefinition(
            name: "repo-storage-port", type: .integer, defaultValue: "443", allowedRange: OptionRange(1, 65535),
            commands: repoCommands, group: .repo,
            dependency: OptionDependency("repo-type", values: ["azure", "gcs", "s3"]),
            summary: "Repository storage port."),
        OptionDefinition(
            name: "repo-storage-retry", type: .integer, defaultValue: "4", allowedRange: OptionRange(0, 100),
            commands: repoCommands, group: .repo,
            dependency: OptionDependency("repo-type", values: ["azure", "gcs", "s3"]),
            summary: "Retries of a failed repository storage request (pgvault)."),
        OptionDefinition(
            name: "repo-storage-upload-chunk-size", type: .size, allowedRange: OptionRange(64 * KiB, TiB),
            commands: repoCommands, group: .repo,
            dependency: OptionDependency("repo-type", values: ["azure", "gcs", "s3"]),
            summary: "Repository storage upload chunk size (default 5MiB on S3)."),
        OptionDefinition(
            name: "repo-storage-verify-tls", type: .boolean, defaultValue: "y", commands: repoCommands, group: .repo,
            dependency: OptionDependency("repo-type", values: ["azure", "gcs", "s3"]),
            summary: "Repository storage certificate verify."),
        OptionDefinition(
            name: "repo-type", type: .string, defaultValue: "posix", allowedValues: ["azure", "cifs", "gcs", "posix", "s3"],
            commands: repoCommands, group: .repo, summary: "Type of storage used for the repository."),

        // MARK: pgvault's own
        OptionDefinition(
            name: "listen", type: .string, defaultValue: "127.0.0.1:9854", commands: ["exporter"],
            summary: "Address and port the metrics exporter listens on (pgvault)."),
        OptionDefinition(
            name: "exporter-refresh", type: .integer, defaultValue: "60", allowedRange: OptionRange(1, 86_400),
            commands: ["exporter"],
            summary: "Seconds the exporter reuses what it read from the repositories before reading again (pgvault)."),
    ]
}
