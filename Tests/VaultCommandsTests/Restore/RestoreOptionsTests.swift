import Testing
import VaultConfig
import VaultCore
@testable import VaultCommands

@Suite struct RestoreOptionsTests {
    func options(_ arguments: [String]) throws -> RestoreOptions {
        let config = try ConfigResolver(table: CommandRegistry.table, inputs: .memory(environment: [:], files: [:]))
            .resolve(arguments: ["--stanza=main", "--pg1-path=/r"] + arguments + ["restore"])
        return try RestoreOptions(config: config)
    }

    @Test func defaults() throws {
        #expect(try options([]) == RestoreOptions(processMax: 1))
    }

    @Test func targetsAndMaps() throws {
        let parsed = try options(["--set=20260101-000000F", "--type=time", "--target=2026-01-01 00:00:00+00",
                                  "--target-exclusive", "--target-action=promote", "--delta", "--force",
                                  "--tablespace-map=ts1=/t", "--link-all", "--process-max=3", "--archive-mode=off",
                                  "--recovery-option=a-b=c"])
        #expect(parsed.set == "20260101-000000F")
        #expect(parsed.type == .time && parsed.typeGiven)
        #expect(parsed.target == "2026-01-01 00:00:00+00" && parsed.targetExclusive)
        #expect(parsed.targetAction == .promote)
        #expect(parsed.delta && parsed.force && parsed.linkAll && parsed.archiveModeOff)
        #expect(parsed.tablespaceMap == [OptionHashEntry(key: "ts1", value: "/t")])
        #expect(parsed.recoveryOptions == [OptionHashEntry(key: "a-b", value: "c")])
        #expect(parsed.processMax == 3)
    }

    @Test func latestIsNoSetAndSelectiveRestoreIsNotBuilt() throws {
        #expect(try options(["--set=latest"]).set == nil)
        let error = #expect(throws: PGVError.self) { _ = try options(["--db-include=app"]) }
        #expect(error?.code == .notImplemented)
    }
}
