import Testing
import VaultCore
@testable import VaultConfig

/// `command:role` on the command line: pgBackRest's internal async workers.
@Suite struct CommandLineParserRoleTests {
    @Test func asyncRoleKeepsTheCommandAndItsOptions() throws {
        let parsed = try CommandLineParser().parse(["--stanza=main", "--process-max=2", "archive-push:async", "/pg/pg_wal"])
        #expect(parsed.command == "archive-push")
        #expect(parsed.role == "async")
        #expect(parsed.arguments == ["/pg/pg_wal"])
        #expect(parsed.options[OptionKey("process-max")]?.values == ["2"])
    }

    @Test func mainRoleHasNoRole() throws {
        #expect(try CommandLineParser().parse(["--stanza=main", "archive-get", "a", "b"]).role == nil)
    }

    @Test func roleReachesTheResolvedConfig() throws {
        let config = try ConfigResolver(inputs: .memory(environment: [:], files: [:]))
            .resolve(arguments: ["--stanza=main", "--no-config", "--pg1-path=/pg", "archive-get:async", "000000010000000000000001"])
        #expect(config.command == "archive-get")
        #expect(config.role == "async")
        #expect(config.arguments == ["000000010000000000000001"])
    }

    @Test(arguments: [
        (["backup:async"], "invalid command/role combination 'backup:async'"),
        (["archive-push:local"], "invalid command/role combination 'archive-push:local'"),
        (["bogus:async"], "invalid command 'bogus'"),
    ])
    func unknownRolesAreRefused(arguments: [String], message: String) {
        #expect(throws: PGVError(.commandInvalid, message)) { try CommandLineParser().parse(arguments) }
    }

    @Test func internalRolesAreTheAsyncArchiveWorkers() {
        #expect(CommandTable.internalRoles == ["archive-get": ["async"], "archive-push": ["async"]])
        #expect(!CommandTable.all.contains { $0.name.contains(":") })
    }
}
