import Testing
import VaultCore
@testable import VaultConfig

/// Issue 2 item 3's list, as typed by users (indexed options with index 1).
let requiredOptionNames = [
    "stanza", "type", "set", "target", "target-action", "target-timeline", "target-exclusive", "delta", "force",
    "process-max", "repo", "compress-type", "compress-level",
    "repo1-type", "repo1-path", "repo1-s3-bucket", "repo1-s3-endpoint", "repo1-s3-region", "repo1-s3-key",
    "repo1-s3-key-secret", "repo1-s3-token", "repo1-s3-uri-style", "repo1-s3-key-type", "repo1-s3-role",
    "repo1-s3-kms-key-id", "repo1-storage-verify-tls", "repo1-storage-ca-file", "repo1-storage-ca-path",
    "repo1-storage-host", "repo1-storage-port", "repo1-storage-upload-chunk-size", "repo1-s3-storage-class",
    "repo1-cipher-type", "repo1-cipher-pass", "repo1-retention-full", "repo1-retention-full-type",
    "repo1-retention-diff", "repo1-retention-archive", "repo1-retention-archive-type",
    "pg1-path", "pg1-port", "pg1-socket-path", "pg1-user", "pg1-database",
    "log-level-console", "log-level-file", "log-level-stderr", "log-path", "lock-path", "spool-path",
    "archive-async", "archive-timeout", "archive-check", "start-fast", "output", "config", "config-path",
    "config-include-path", "recovery-option", "tablespace-map", "db-include", "annotation", "dry-run", "buffer-size",
    "checksum-page", "resume",
    // Options the later issues use, and pgvault's own.
    "repo1-bundle", "expire-auto", "repo1-retention-history", "archive-push-queue-max", "archive-get-queue-max",
    "io-timeout", "db-timeout", "protocol-timeout", "tablespace-map-all", "link-map", "link-all", "db-exclude",
    "exclude", "archive-copy", "archive-mode-check", "archive-header-check", "backup-standby", "online",
    "manifest-save-threshold", "neutral-umask", "cmd", "log-timestamp", "log-subprocess", "sort", "filter",
    "recurse", "verbose", "cipher-pass", "archive-mode", "exec-id", "beta", "log-format", "listen",
    "repo1-s3-requester-pays", "repo-retry-max",
]

let requiredCommandNames = [
    "annotate", "archive-get", "archive-push", "backup", "check", "expire", "help", "info", "repo-get", "repo-ls",
    "repo-put", "repo-rm", "restore", "server", "server-ping", "stanza-create", "stanza-delete", "stanza-upgrade",
    "start", "stop", "verify", "version", "metrics", "exporter",
]

@Suite struct OptionTableTests {
    let table = OptionTable.standard

    @Test(arguments: requiredOptionNames)
    func optionExists(_ typed: String) throws {
        let match = try #require(try table.match(typed))
        #expect(match.key.description == typed)
    }

    @Test func everyCommandExists() {
        #expect(Set(table.commandNames) == Set(requiredCommandNames))
        #expect(table.commandNames.count == requiredCommandNames.count)
    }

    @Test func namesAreUnique() {
        let names = OptionTable.definitions.map(\.name)
        #expect(Set(names).count == names.count)
        let commands = CommandTable.all.map(\.name)
        #expect(Set(commands).count == commands.count)
    }

    @Test func everyOptionNamesExistingCommandsAndOptions() {
        for option in OptionTable.definitions {
            for command in option.commands ?? [] {
                #expect(table.command(command) != nil, "\(option.name) names \(command)")
            }
            for command in option.commandRules.keys {
                #expect(option.isValid(for: command), "\(option.name) has a rule for \(command)")
            }
            if let dependency = option.dependency {
                #expect(table.option(dependency.option) != nil, "\(option.name) depends on \(dependency.option)")
            }
            if let group = option.group {
                #expect(option.name.hasPrefix(group.rawValue + "-"))
            }
        }
    }

    @Test func defaultsAndAllowedValuesAreValid() throws {
        for option in OptionTable.definitions {
            for command in option.commands ?? table.commandNames {
                guard let value = option.defaultValue(for: command) else { continue }
                let raw = option.type == .boolean ? [value] : [value]
                _ = try OptionValueParser.parse(raw, option: option, key: OptionKey(option.name), command: command)
                if option.type == .boolean { #expect(value == "y" || value == "n", "\(option.name)") }
            }
        }
    }

    @Test func secureOptionsAreTheSecrets() {
        let secure = Set(OptionTable.definitions.filter(\.secure).map(\.name))
        #expect(
            secure == [
                "repo-azure-account", "repo-azure-key", "repo-cipher-pass", "repo-gcs-key", "repo-s3-key",
                "repo-s3-key-secret", "repo-s3-token",
            ])
    }

    @Test func implementedFlagDefaultsAndMarking() {
        #expect(table.commandNames.filter { table.command($0)?.isImplemented == true }.sorted() == ["help", "version"])
        let marked = table.markingImplemented(["backup"])
        #expect(marked.command("backup")?.isImplemented == true)
        #expect(marked.command("restore")?.isImplemented == false)
        #expect(marked.command("backup")?.lockType == .backup)
        #expect(marked.command("stanza-create")?.lockType == .all)
    }

    @Test(arguments: [
        ("repo2-path", "repo-path", 2, false, false),
        ("no-online", "online", 1, true, false),
        ("reset-repo1-s3-bucket", "repo-s3-bucket", 1, false, true),
        ("pg256-port", "pg-port", 256, false, false),
    ])
    func matchReadsIndexAndPrefixes(_ typed: String, _ name: String, _ index: Int, _ negate: Bool, _ reset: Bool) throws {
        let match = try #require(try table.match(typed))
        #expect(match == OptionNameMatch(key: OptionKey(name, index: index), negate: negate, reset: reset))
    }

    @Test func ambiguousPrefixDoesNotMatch() throws {
        #expect(try table.match("repo1-s3-k", prefixMatch: true) == nil)
        #expect(try table.match("stanz", prefixMatch: false) == nil)
        #expect(try table.match("stanz", prefixMatch: true)?.key == OptionKey("stanza"))
    }
}
