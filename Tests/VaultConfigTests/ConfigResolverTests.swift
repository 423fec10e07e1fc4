import Testing
import VaultCore
@testable import VaultConfig

/// One precedence case: files, environment and command line in, one option's value and source out.
struct PrecedenceRow: CustomTestStringConvertible, Sendable {
    let name: String
    let files: [String: String]
    let environment: [String: String]
    let arguments: [String]
    let option: String
    let expected: String?
    let source: ConfigSource?

    var testDescription: String { name }
}

private let conf = "/etc/pgbackrest/pgbackrest.conf"
private let backupMain = ["--stanza=main", "backup"]
private let pgPath = ["PGBACKREST_PG1_PATH": "/data"]

let precedenceRows: [PrecedenceRow] = [
    .init(name: "default", files: [:], environment: pgPath, arguments: backupMain,
        option: "compress-type", expected: "gz", source: .defaultValue),
    .init(name: "[global]", files: [conf: "[global]\ncompress-type=bz2"], environment: pgPath, arguments: backupMain,
        option: "compress-type", expected: "bz2", source: .configFile(section: "global")),
    .init(name: "[global:COMMAND] over [global]",
        files: [conf: "[global]\ncompress-type=bz2\n[global:backup]\ncompress-type=zst"], environment: pgPath,
        arguments: backupMain, option: "compress-type", expected: "zst", source: .configFile(section: "global:backup")),
    .init(name: "[STANZA] over [global:COMMAND]",
        files: [conf: "[global:backup]\ncompress-type=zst\n[main]\ncompress-type=lz4"], environment: pgPath,
        arguments: backupMain, option: "compress-type", expected: "lz4", source: .configFile(section: "main")),
    .init(name: "[STANZA:COMMAND] over [STANZA]",
        files: [conf: "[main]\ncompress-type=lz4\n[main:backup]\ncompress-type=none"], environment: pgPath,
        arguments: backupMain, option: "compress-type", expected: "none", source: .configFile(section: "main:backup")),
    .init(name: "other command's section ignored",
        files: [conf: "[global:archive-push]\ncompress-type=zst\n[other]\ncompress-type=bz2"], environment: pgPath,
        arguments: backupMain, option: "compress-type", expected: "gz", source: .defaultValue),
    .init(name: "environment over [STANZA:COMMAND]",
        files: [conf: "[main:backup]\ncompress-type=none"], environment: pgPath.merging(["PGBACKREST_COMPRESS_TYPE": "bz2"]) { $1 },
        arguments: backupMain, option: "compress-type", expected: "bz2", source: .environment("PGBACKREST_COMPRESS_TYPE")),
    .init(name: "PGVAULT_ over PGBACKREST_", files: [:],
        environment: pgPath.merging(["PGBACKREST_COMPRESS_TYPE": "bz2", "PGVAULT_COMPRESS_TYPE": "zst"]) { $1 },
        arguments: backupMain, option: "compress-type", expected: "zst", source: .environment("PGVAULT_COMPRESS_TYPE")),
    .init(name: "command line over environment", files: [:],
        environment: pgPath.merging(["PGVAULT_COMPRESS_TYPE": "zst"]) { $1 },
        arguments: ["--stanza=main", "--compress-type=lz4", "backup"], option: "compress-type", expected: "lz4",
        source: .commandLine),
    .init(name: "--reset- ignores file and environment", files: [conf: "[global]\ncompress-type=bz2"],
        environment: pgPath.merging(["PGBACKREST_COMPRESS_TYPE": "zst"]) { $1 },
        arguments: ["--stanza=main", "--reset-compress-type", "backup"], option: "compress-type", expected: "gz",
        source: .defaultValue),
    .init(name: "--reset- of an option without default leaves it unset",
        files: [conf: "[main]\npg1-path=/data\n[global]\nrepo1-retention-full=2"], environment: [:],
        arguments: ["--stanza=main", "--reset-repo1-retention-full", "backup"], option: "repo1-retention-full",
        expected: nil, source: nil),
    .init(name: "env boolean y", files: [:], environment: pgPath.merging(["PGBACKREST_START_FAST": "y"]) { $1 },
        arguments: backupMain, option: "start-fast", expected: "y", source: .environment("PGBACKREST_START_FAST")),
    .init(name: "env boolean n", files: [conf: "[global]\nresume=y"],
        environment: pgPath.merging(["PGVAULT_RESUME": "n"]) { $1 },
        arguments: backupMain, option: "resume", expected: "n", source: .environment("PGVAULT_RESUME")),
    .init(name: "env list is :-separated", files: [:],
        environment: pgPath.merging(["PGBACKREST_EXCLUDE": "log/:tmp/"]) { $1 },
        arguments: backupMain, option: "exclude", expected: "log/:tmp/", source: .environment("PGBACKREST_EXCLUDE")),
    .init(name: "env indexed option", files: [:], environment: pgPath.merging(["PGBACKREST_REPO2_PATH": "/r2"]) { $1 },
        arguments: backupMain, option: "repo2-path", expected: "/r2", source: .environment("PGBACKREST_REPO2_PATH")),
    .init(name: "secure option from env accepted",
        files: [conf: "[global]\nrepo1-cipher-type=aes-256-cbc"],
        environment: pgPath.merging(["PGBACKREST_REPO1_CIPHER_PASS": "s3cret"]) { $1 }, arguments: backupMain,
        option: "repo1-cipher-pass", expected: "s3cret", source: .environment("PGBACKREST_REPO1_CIPHER_PASS")),
    .init(name: "secure option from file accepted",
        files: [conf: "[global]\nrepo1-cipher-type=aes-256-cbc\nrepo1-cipher-pass=filepass"],
        environment: pgPath, arguments: backupMain,
        option: "repo1-cipher-pass", expected: "filepass", source: .configFile(section: "global")),
    .init(name: "list repeated in file", files: [conf: "[global]\nexclude=a\nexclude=b"], environment: pgPath,
        arguments: backupMain, option: "exclude", expected: "a:b", source: .configFile(section: "global")),
    .init(name: "include directory after main file, sorted",
        files: [
            conf: "[global]\nexclude=0", "/etc/pgbackrest/conf.d/b.conf": "[global]\nexclude=2",
            "/etc/pgbackrest/conf.d/a.conf": "[global]\nexclude=1",
            "/etc/pgbackrest/conf.d/c.conf.disabled": "[global]\nexclude=never",
        ],
        environment: pgPath, arguments: backupMain, option: "exclude", expected: "0:1:2",
        source: .configFile(section: "global")),
    .init(name: "include directory without main file",
        files: ["/etc/pgbackrest/conf.d/repo.conf": "[global]\nrepo1-path=/from/include"], environment: pgPath,
        arguments: backupMain, option: "repo1-path", expected: "/from/include", source: .configFile(section: "global")),
    .init(name: "--config overrides default and skips conf.d",
        files: [
            conf: "[global]\nrepo1-path=/default", "/custom.conf": "[global]\nrepo1-path=/custom",
            "/etc/pgbackrest/conf.d/x.conf": "[global]\nexclude=x",
        ],
        environment: pgPath, arguments: ["--config=/custom.conf"] + backupMain, option: "repo1-path",
        expected: "/custom", source: .configFile(section: "global")),
    .init(name: "--config with --config-include-path reads both",
        files: ["/custom.conf": "[global]\nexclude=a", "/inc/x.conf": "[global]\nexclude=b"], environment: pgPath,
        arguments: ["--config=/custom.conf", "--config-include-path=/inc"] + backupMain, option: "exclude",
        expected: "a:b", source: .configFile(section: "global")),
    .init(name: "--config-path moves the base directory",
        files: [conf: "[global]\nrepo1-path=/default", "/opt/cfg/pgbackrest.conf": "[global]\nrepo1-path=/opt",
            "/opt/cfg/conf.d/z.conf": "[global]\nexclude=z"],
        environment: pgPath, arguments: ["--config-path=/opt/cfg"] + backupMain, option: "exclude", expected: "z",
        source: .configFile(section: "global")),
    .init(name: "/etc/pgvault/pgvault.conf preferred",
        files: [conf: "[global]\nrepo1-path=/pgbackrest", "/etc/pgvault/pgvault.conf": "[global]\nrepo1-path=/pgvault"],
        environment: pgPath, arguments: backupMain, option: "repo1-path", expected: "/pgvault",
        source: .configFile(section: "global")),
    .init(name: "conf.d beside /etc/pgvault/pgvault.conf",
        files: ["/etc/pgvault/pgvault.conf": "[global]\nexclude=a", "/etc/pgvault/conf.d/b.conf": "[global]\nexclude=b"],
        environment: pgPath, arguments: backupMain, option: "exclude", expected: "a:b",
        source: .configFile(section: "global")),
    .init(name: "--no-config skips the main file", files: [conf: "[global]\nrepo1-path=/default"], environment: pgPath,
        arguments: ["--no-config"] + backupMain, option: "repo1-path", expected: "/var/lib/pgbackrest",
        source: .defaultValue),
    .init(name: "PGBACKREST_CONFIG selects the file",
        files: ["/env.conf": "[global]\nrepo1-path=/env"], environment: pgPath.merging(["PGBACKREST_CONFIG": "/env.conf"]) { $1 },
        arguments: backupMain, option: "repo1-path", expected: "/env", source: .configFile(section: "global")),
    .init(name: "stanza-only option in global is ignored", files: [conf: "[global]\npg1-path=/global"],
        environment: pgPath, arguments: backupMain, option: "pg1-path", expected: "/data",
        source: .environment("PGBACKREST_PG1_PATH")),
    .init(name: "size with units from file", files: [conf: "[global]\nrepo1-storage-upload-chunk-size=5MB\nrepo1-type=s3\nrepo1-s3-bucket=b\nrepo1-s3-region=r"],
        environment: pgPath, arguments: backupMain, option: "repo1-storage-upload-chunk-size", expected: "5242880",
        source: .configFile(section: "global")),
    .init(name: "dependent option ignored when its dependency does not hold",
        files: [conf: "[global]\nrepo1-s3-bucket=b"], environment: pgPath, arguments: backupMain,
        option: "repo1-s3-bucket", expected: nil, source: nil),
]

/// Inputs that must fail, with the exact error.
struct ResolverErrorRow: CustomTestStringConvertible, Sendable {
    let name: String
    let files: [String: String]
    let environment: [String: String]
    let arguments: [String]
    let code: ErrorCode
    let message: String

    var testDescription: String { name }
}

let resolverErrorRows: [ResolverErrorRow] = [
    .init(name: "missing --config", files: [:], environment: [:], arguments: ["--config=/nope.conf", "info"],
        code: .fileMissing, message: "unable to open missing file '/nope.conf' for read"),
    .init(name: "missing --config-include-path", files: [:], environment: [:],
        arguments: ["--config-include-path=/nope", "info"], code: .pathMissing,
        message: "unable to list file info for missing path '/nope'"),
    .init(name: "repeated scalar across files", files: [conf: "[global]\nrepo1-path=/a", "/etc/pgbackrest/conf.d/x.conf": "[global]\nrepo1-path=/b"],
        environment: [:], arguments: ["info"], code: .optionInvalid,
        message: "option 'repo1-path' cannot be set multiple times"),
    .init(name: "bad boolean in file", files: [conf: "[global]\ndelta=yes"], environment: [:],
        arguments: ["--stanza=main", "--pg1-path=/d", "restore"], code: .optionInvalidValue,
        message: "boolean option 'delta' must be 'y' or 'n'"),
    .init(name: "empty value in file", files: [conf: "[global]\nrepo1-path="], environment: [:], arguments: ["info"],
        code: .optionInvalidValue, message: "section 'global', key 'repo1-path' must have a value"),
    .init(name: "bad number in file", files: [conf: "[global]\nprocess-max=many"], environment: [:],
        arguments: ["--stanza=main", "--pg1-path=/d", "backup"], code: .optionInvalidValue,
        message: "'many' is not valid for 'process-max' option"),
    .init(name: "bad enumeration in env", files: [:], environment: ["PGBACKREST_COMPRESS_TYPE": "rar", "PGBACKREST_PG1_PATH": "/d"],
        arguments: ["--stanza=main", "backup"], code: .optionInvalidValue,
        message: "'rar' is not allowed for 'compress-type' option (allowed: none, bz2, gz, lz4, zst)"),
    .init(name: "bad env boolean", files: [:], environment: ["PGBACKREST_DELTA": "true"], arguments: ["--stanza=m", "--pg1-path=/d", "restore"],
        code: .optionInvalidValue, message: "environment boolean option 'delta' must be 'y' or 'n'"),
    .init(name: "empty env value", files: [:], environment: ["PGVAULT_REPO1_PATH": ""], arguments: ["info"],
        code: .optionInvalidValue, message: "environment variable 'repo1-path' must have a value"),
    .init(name: "malformed ini", files: [conf: "[global\nrepo1-path=/a"], environment: [:], arguments: ["info"],
        code: .format, message: "ini section should end with ] at line 1: [global"),
    .init(name: "cipher type without pass", files: [conf: "[global]\nrepo1-cipher-type=aes-256-cbc"], environment: [:],
        arguments: ["info"], code: .optionRequired, message: "info command requires option: repo1-cipher-pass"),
]

@Suite struct ConfigResolverTests {
    @Test(arguments: precedenceRows)
    func precedence(_ row: PrecedenceRow) throws {
        let inputs = ConfigInputs.memory(environment: row.environment, files: row.files)
        let config = try ConfigResolver(inputs: inputs).resolve(arguments: row.arguments)
        let match = try #require(try OptionTable.standard.match(row.option))
        #expect(try ConfigFixture.text(config, row.option) == row.expected)
        #expect(config.values[match.key]?.source == row.source)
    }

    @Test(arguments: resolverErrorRows)
    func errors(_ row: ResolverErrorRow) throws {
        let inputs = ConfigInputs.memory(environment: row.environment, files: row.files)
        let error = #expect(throws: PGVError.self) { try ConfigResolver(inputs: inputs).resolve(arguments: row.arguments) }
        #expect(error?.code == row.code)
        #expect(error?.message == row.message)
    }

    @Test func fileProblemsBecomeWarnings() throws {
        let inputs = ConfigInputs.memory(
            environment: ["PGBACKREST_BOGUS_ENV": "1", "PGBACKREST_NO_DELTA": "y"],
            files: [
                conf: """
                    # comment
                    [global]
                    bogus-option=1
                    pg1-path=/global
                    stanza=fromfile
                    no-delta=y
                    [global:restore]
                    exclude=x
                    [main]
                    pg1-path=/data
                    """
            ])
        let config = try ConfigResolver(inputs: inputs).resolve(arguments: ["--stanza=main", "restore"])
        #expect(
            config.warnings == [
                "environment contains invalid option 'bogus-env'",
                "environment contains invalid negate option 'no-delta'",
                "configuration file contains option 'exclude' invalid for section 'global:restore'",
                "configuration file contains invalid option 'bogus-option'",
                "configuration file contains stanza-only option 'pg1-path' in global section 'global'",
                "configuration file contains command-line only option 'stanza'",
                "configuration file contains negate option 'no-delta'",
            ])
        #expect(config.string("pg-path") == "/data")
        #expect(config.configFiles == [conf])
    }

    @Test func repoAndPgIndexesAndViews() throws {
        let inputs = ConfigInputs.memory(
            environment: ["PGBACKREST_REPO3_S3_KEY_SECRET": "hidden"],
            files: [
                conf: """
                    [global]
                    repo1-path=/r1
                    repo3-type=s3
                    repo3-s3-bucket=bucket
                    repo3-s3-region=eu-west-1
                    repo3-s3-storage-class=STANDARD_IA
                    repo3-storage-upload-chunk-size=16MiB
                    [main]
                    pg1-path=/data
                    pg2-path=/standby
                    pg2-port=5433
                    """
            ])
        let config = try ConfigResolver(inputs: inputs).resolve(arguments: ["--stanza=main", "backup"])
        #expect(config.repoIndexes == [1, 3])
        #expect(config.pgIndexes == [1, 2])
        #expect(config.repo(1).path == "/r1")
        #expect(config.repo(3).type == "s3")
        #expect(config.repo(3).s3Bucket == "bucket")
        #expect(config.repo(3).s3StorageClass == "STANDARD_IA")
        #expect(config.repo(3).s3KeySecret == "hidden")
        #expect(config.repo(3).storageUploadChunkSize == Int64(16_777_216))
        #expect(config.repo(3).s3UriStyle == "host")
        #expect(config.repo(3).storageVerifyTLS)
        #expect(config.string("path", repo: 3) == "/var/lib/pgbackrest")
        #expect(config.pg(2).port == 5433)
        #expect(config.pg(1).port == 5432)
        #expect(config.int("port", pg: 2) == 5433)
        #expect(config.pg(2).path == "/standby")
        #expect(config.repos.map(\.index) == [1, 3])
        #expect(config.time("archive-timeout") == 60)
        #expect(config.size("buffer-size") == Int64(1_048_576))
        #expect(config.source("pg-path", index: 2) == .configFile(section: "main"))
    }

    @Test func redactedDescriptionHidesSecrets() throws {
        let config = try ConfigFixture.resolve([
            "--stanza=greenlang", "restore", "--delta", "--recovery-option=a=b", "--db-include=app",
        ])
        let text = config.redactedDescription
        #expect(text.contains("--repo1-cipher-pass=<redacted>"))
        #expect(!text.contains("runbook-secret"))
        #expect(text.contains("--delta"))
        #expect(text.contains("--recovery-option=a=b"))
        #expect(text.contains("--stanza=greenlang"))
        #expect(!text.contains("--process-max"))
    }

    @Test func processInputsReadTheRealEnvironment() throws {
        let inputs = ConfigInputs.process()
        #expect(inputs.environment["PATH"] != nil)
        #expect(try inputs.readFile("/nonexistent/pgvault-test.conf") == nil)
        #expect(try inputs.listDirectory("/nonexistent/pgvault-test.d") == nil)
        #expect(try inputs.listDirectory("/etc")?.contains("passwd") == true)
        #expect(try inputs.readFile("/etc/hostname") != nil)
    }
}
