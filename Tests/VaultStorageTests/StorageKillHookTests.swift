import Testing
@testable import VaultStorage

struct StorageKillHookTests {
    @Test func unsetEmptyNegativeOrGarbageLeaveTheHookOff() {
        #expect(StorageKillHook.setting(from: nil) == nil)
        #expect(StorageKillHook.setting(from: "") == nil)
        #expect(StorageKillHook.setting(from: "-3") == nil)
        #expect(StorageKillHook.setting(from: "12x") == nil)
    }

    @Test func zeroCountsWithoutKilling() throws {
        let setting = try #require(StorageKillHook.setting(from: "0"))
        #expect(setting.killAfter == nil)
        #expect(!StorageKillHook.mustKill(after: 1, setting: setting))
        #expect(!StorageKillHook.mustKill(after: 1_000_000, setting: setting))
    }

    @Test func killsAtTheNthCallAndNotBefore() throws {
        let setting = try #require(StorageKillHook.setting(from: "7"))
        #expect(setting.killAfter == 7)
        #expect(!StorageKillHook.mustKill(after: 6, setting: setting))
        #expect(StorageKillHook.mustKill(after: 7, setting: setting))
    }

    @Test func theVariableIsNotAnOptionName() {
        // The config resolver reads every PGVAULT_*/PGBACKREST_* variable as an option.
        #expect(!StorageKillHook.variable.hasPrefix("PGVAULT_"))
        #expect(!StorageKillHook.variable.hasPrefix("PGBACKREST_"))
    }
}
