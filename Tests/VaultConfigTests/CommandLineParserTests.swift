import Testing
import VaultCore
@testable import VaultConfig

/// One command line and what it must give: the command, some option values and the positional arguments,
/// or the exact error.
struct CommandLineRow: CustomTestStringConvertible, Sendable {
    enum Outcome: Sendable {
        case parsed(command: String, options: [String: String], arguments: [String])
        case failure(ErrorCode, String, hint: String? = nil)
    }

    let arguments: [String]
    let outcome: Outcome

    init(_ line: [String], _ outcome: Outcome) {
        self.arguments = line
        self.outcome = outcome
    }

    var testDescription: String { arguments.joined(separator: " ") }
}

private func ok(_ command: String, _ options: [String: String] = [:], args: [String] = []) -> CommandLineRow.Outcome {
    .parsed(command: command, options: options, arguments: args)
}

private func fails(_ code: ErrorCode, _ message: String, hint: String? = nil) -> CommandLineRow.Outcome {
    .failure(code, message, hint: hint)
}

let commandLineRows: [CommandLineRow] = [
    // The runbook's lines.
    .init(["--stanza=main", "--type=full", "backup"], ok("backup", ["stanza": "main", "type": "full"])),
    .init(["--stanza=greenlang", "--type=full", "backup"], ok("backup", ["type": "full", "compress-type": "lz4"])),
    .init(
        [
            "--stanza=greenlang", "restore", "--delta", "--type=time", "--target=2024-01-15 14:30:00+00",
            "--target-action=promote", "--pg1-path=/var/lib/postgresql/data-restored",
        ],
        ok(
            "restore",
            [
                "delta": "y", "type": "time", "target": "2024-01-15 14:30:00+00", "target-action": "promote",
                "pg1-path": "/var/lib/postgresql/data-restored", "set": "latest",
            ])),
    .init(
        [
            "--stanza=greenlang", "restore", "--target=2024-01-15 14:30:00+00", "--target-action=promote",
            "--type=time", "--pg1-path=/var/lib/postgresql/data-restored", "--delta",
        ],
        ok("restore", ["type": "time", "target-action": "promote", "delta": "y"])),
    .init(
        ["--stanza=greenlang", "restore", "--delta", "--pg1-path=/var/lib/postgresql/data"],
        ok("restore", ["type": "default", "pg1-path": "/var/lib/postgresql/data", "set": "latest"])),
    .init(["--stanza=greenlang", "info"], ok("info", ["stanza": "greenlang", "output": "text"])),
    .init(["--stanza=greenlang", "info", "--output=json"], ok("info", ["output": "json"])),
    .init(["--stanza=greenlang", "info", "--set=20240115-020000F"], ok("info", ["set": "20240115-020000F"])),
    .init(["--stanza=greenlang", "expire", "--dry-run"], ok("expire", ["dry-run": "y", "repo1-retention-full": "4"])),
    .init(["--stanza=greenlang", "expire"], ok("expire", ["dry-run": "n"])),
    .init(["--stanza=greenlang", "--set=20240115-020000F", "verify"], ok("verify", ["set": "20240115-020000F"])),
    .init(["--stanza=greenlang", "--set=latest", "verify"], ok("verify", ["set": "latest", "output": "none"])),
    .init(
        ["--stanza=greenlang", "--type=full", "--process-max=8", "backup"],
        ok("backup", ["type": "full", "process-max": "8"])),
    .init(["--stanza=greenlang", "check"], ok("check", ["pg1-port": "5432"])),
    .init(["--stanza=greenlang", "stanza-create"], ok("stanza-create", ["online": "y"])),
    .init(["--stanza=greenlang", "stanza-create", "--force"], ok("stanza-create", ["force": "y"])),
    .init(["--stanza=greenlang", "stanza-upgrade"], ok("stanza-upgrade")),
    .init(["--stanza=greenlang", "stanza-delete", "--force"], ok("stanza-delete", ["force": "y"])),
    .init(["--stanza=greenlang", "repo-ls"], ok("repo-ls", ["sort": "asc"])),
    // `archive-get --ls` is pgvault's own (the users' runbook runs it; pgBackRest lacks it).
    .init(["--stanza=greenlang", "archive-get", "--ls"], ok("archive-get", ["ls": "y"])),
    .init(["--stanza=greenlang", "archive-push", "%p"], ok("archive-push", [:], args: ["%p"])),
    .init(
        ["--stanza=greenlang", "archive-get", "000000010000000000000001", "pg_wal/RECOVERYXLOG"],
        ok("archive-get", ["archive-async": "n"], args: ["000000010000000000000001", "pg_wal/RECOVERYXLOG"])),
    // pgBackRest allows --force on backup only offline; pgvault accepts it online (the emergency procedure).
    .init(["--stanza=greenlang", "--type=full", "backup", "--force"], ok("backup", ["force": "y", "online": "y"])),
    .init(
        ["--stanza=greenlang", "--type=full", "--no-online", "backup", "--force"],
        ok("backup", ["force": "y", "online": "n", "archive-check": "n"])),

    // Parse rules.
    .init(["--stanza", "main", "backup"], ok("backup", ["stanza": "main"])),
    .init(["backup", "--stanza", "main", "--type", "diff"], ok("backup", ["stanza": "main", "type": "diff"])),
    // `--stanza` takes a value, so `restore` is the stanza and `backup` the command (a stanza with no pg1-path).
    .init(
        ["--stanza", "restore", "backup"],
        fails(.optionRequired, "backup command requires option: pg1-path", hint: "does this stanza exist?")),
    .init(["--stan=main", "backup"], ok("backup", ["stanza": "main"])),
    .init(["--stanza=main", "--no-online", "backup"], ok("backup", ["online": "n"])),
    .init(["--stanza=main", "--online=n", "backup"], ok("backup", ["online": "n"])),
    .init(["--stanza=main", "--reset-compress-type", "backup"], ok("backup", ["compress-type": "gz"])),
    .init(["--stanza=main", "--delta=y", "restore"], ok("restore", ["delta": "y"])),
    .init(
        ["--stanza=greenlang", "restore", "--db-include=app", "--db-include=audit"],
        ok("restore", ["db-include": "app:audit"])),
    .init(
        ["--stanza=greenlang", "restore", "--recovery-option=a=b", "--recovery-option=c=d=e"],
        ok("restore", ["recovery-option": "a=b:c=d=e"])),
    .init(["--stanza=greenlang", "backup", "--annotation=k=v"], ok("backup", ["annotation": "k=v"])),
    .init(["--stanza=greenlang", "--repo2-path=/backup2", "info"], ok("info", ["repo2-path": "/backup2", "repo2-type": "posix"])),
    .init(["--stanza=greenlang", "--repo-path=/old/style/", "info"], ok("info", ["repo1-path": "/old/style"])),
    .init(["--stanza=greenlang", "--pg1-port=5433", "check"], ok("check", ["pg1-port": "5433"])),
    .init(["--stanza=greenlang", "--buffer-size=128KiB", "backup"], ok("backup", ["buffer-size": "131072"])),
    .init(
        ["--stanza=greenlang", "--archive-timeout=0.5", "archive-push", "/pg_wal/000000010000000000000001"],
        ok("archive-push", ["archive-timeout": "0.5"], args: ["/pg_wal/000000010000000000000001"])),
    .init(["--stanza=main", "--log-level-console=info", "backup"], ok("backup", ["log-level-console": "info"])),
    .init(["help"], ok("help")),
    .init([], ok("help")),
    .init(["help", "backup"], ok("backup")),
    .init(["version"], ok("version")),
    .init(["start"], ok("start", ["lock-path": "/tmp/pgbackrest"])),
    .init(["--listen=0.0.0.0:9854", "exporter"], ok("exporter", ["listen": "0.0.0.0:9854"])),

    // Errors.
    .init(
        ["--stanza=greenlang", "--process-max=abc", "backup"],
        fails(.optionInvalidValue, "'abc' is not valid for 'process-max' option")),
    .init(
        ["--stanza=greenlang", "--process-max=0", "backup"],
        fails(.optionInvalidValue, "'0' is out of range for 'process-max' option (allowed: 1-999)")),
    .init(
        ["--stanza=greenlang", "--compress-type=bogus", "backup"],
        fails(.optionInvalidValue, "'bogus' is not allowed for 'compress-type' option (allowed: none, bz2, gz, lz4, zst)")),
    .init(
        ["--stanza=greenlang", "--buffer-size=5MB", "backup"],
        fails(
            .optionInvalidValue,
            "'5MB' is not allowed for 'buffer-size' option (allowed: 16KiB, 32KiB, 64KiB, 128KiB, 256KiB, 512KiB, 1MiB, 2MiB, 4MiB, 8MiB, 16MiB)")),
    .init(
        ["--stanza=greenlang", "--log-level-console=loud", "info"],
        fails(
            .optionInvalidValue,
            "'loud' is not allowed for 'log-level-console' option (allowed: off, error, warn, info, detail, debug, trace)")),
    .init(["--bogus", "info"], fails(.optionInvalid, "invalid option '--bogus'")),
    .init(["-s", "main", "backup"], fails(.optionInvalid, "option '-s' must begin with --")),
    .init(
        ["--stanza=greenlang", "--repo1-cipher-pass=x", "backup"],
        fails(
            .optionInvalid, "option 'repo1-cipher-pass' is not allowed on the command-line",
            hint: "this option could expose secrets in the process list.\n"
                + "HINT: specify the option in a configuration file or an environment variable instead.")),
    .init(["--stanza=greenlang"], fails(.commandRequired, "no command found")),
    .init(["--stanza=greenlang", "bogus"], fails(.commandInvalid, "invalid command 'bogus'")),
    .init(["--stanza=greenlang", "--delta", "info"], fails(.optionInvalid, "option 'delta' not valid for command 'info'")),
    .init(["--repo257-path=/x", "info"], fails(.optionInvalid, "option 'repo257-path' key exceeds maximum of 256")),
    .init(["--stanza=greenlang", "--stanza-x=1", "info"], fails(.optionInvalid, "invalid option '--stanza-x=1'")),
    .init(
        ["--stanza=greenlang", "--delta=yes", "restore"],
        fails(.optionInvalidValue, "boolean option '--delta' argument must be 'y' or 'n'")),
    .init(["backup"], fails(.optionRequired, "backup command requires option: stanza")),
    .init(
        ["--stanza=nostanza", "backup"],
        fails(.optionRequired, "backup command requires option: pg1-path", hint: "does this stanza exist?")),
    .init(
        ["--stanza=main", "--stanza=other", "backup"],
        fails(.optionInvalid, "option 'stanza' cannot be set multiple times")),
    .init(["--stanza"], fails(.optionInvalid, "option '--stanza' requires an argument")),
    .init(["--no-stanza", "info"], fails(.optionInvalid, "option 'no-stanza' cannot be negated")),
    .init(["--reset-stanza", "info"], fails(.optionInvalid, "option 'reset-stanza' cannot be reset")),
    .init(["--no-delta=y", "restore"], fails(.optionInvalid, "option 'no-delta' does not allow an argument")),
    .init(
        ["--stanza=main", "--no-online", "--online", "backup"],
        fails(.optionInvalid, "option 'online' cannot be set and negated")),
    .init(["--stanza=greenlang", "expire", "extra"], fails(.paramInvalid, "command does not allow parameters")),
    .init(
        ["--stanza=greenlang", "restore", "--target=x"],
        fails(.optionInvalid, "option 'target' not valid without option 'type' in ('lsn', 'name', 'time', 'xid')")),
    .init(["--stanza=greenlang", "restore", "--type=time"], fails(.optionRequired, "restore command requires option: target")),
    .init(
        ["--stanza=greenlang", "restore", "--recovery-option=bad"],
        fails(.optionInvalid, "key/value 'bad' not valid for 'recovery-option' option")),
    .init(
        ["--stanza=greenlang", "restore", "--pg1-path=relative/dir"],
        fails(.optionInvalidValue, "'relative/dir' must begin with / for 'pg1-path' option")),
    .init(["--stanza=greenlang", "--stanza-create"], fails(.optionInvalid, "invalid option '--stanza-create'")),
    .init(["--pg1port=1", "check"], fails(.optionInvalid, "invalid option '--pg1port=1'")),
    .init(["--stanza=x", "--process1-max=2", "backup"], fails(.optionInvalid, "option 'process1-max' cannot have an index")),
]

@Suite struct CommandLineParserTests {
    @Test(arguments: commandLineRows)
    func commandLine(_ row: CommandLineRow) throws {
        switch row.outcome {
        case .parsed(let command, let options, let arguments):
            let config = try ConfigFixture.resolve(row.arguments)
            #expect(config.command == command)
            #expect(config.arguments == arguments)
            for (name, expected) in options {
                #expect(try ConfigFixture.text(config, name) == expected, "option \(name)")
            }
        case .failure(let code, let message, let hint):
            let error = #expect(throws: PGVError.self) { try ConfigFixture.resolve(row.arguments) }
            #expect(error?.code == code)
            #expect(error?.message == message)
            #expect(error?.hint == hint)
        }
    }

    @Test func tableHasAtLeastFortyLines() {
        #expect(commandLineRows.count >= 40)
    }

    @Test func parserSplitsCommandOptionsAndArguments() throws {
        let parsed = try CommandLineParser().parse(["--stanza", "main", "archive-push", "--no-compress", "%p"])
        #expect(parsed.command == "archive-push")
        #expect(parsed.arguments == ["%p"])
        #expect(parsed.options[OptionKey("stanza")] == RawOptionSetting(values: ["main"]))
        #expect(parsed.options[OptionKey("compress")] == RawOptionSetting(negate: true))
        #expect(!parsed.help)
    }

    @Test func helpMakesTheNextWordTheCommand() throws {
        let parsed = try CommandLineParser().parse(["help", "backup", "type"])
        #expect(parsed.command == "backup")
        #expect(parsed.help)
        #expect(parsed.arguments == ["type"])
    }

    @Test func helpForACommandDoesNotRequireItsOptions() throws {
        let config = try ConfigResolver(inputs: .memory()).resolve(arguments: ["help", "backup"])
        #expect(config.help)
        #expect(config.string("stanza") == nil)
    }
}
