import Testing
@testable import VaultCommands

@Suite struct ArchivePushAsyncPlanTests {
    static let a = "000000010000000000000001"
    static let b = "000000010000000000000002"
    static let c = "000000010000000000000003"

    @Test func readyNamesAreOldestFirstWithoutTheirExtension() {
        let listing = [Self.c + ".ready", Self.a + ".done", Self.b + ".ready", "00000002.history.ready", ".ready"]
        #expect(ArchivePushAsyncPlan.readyNames(listing) == [Self.b, Self.c, "00000002.history"])
    }

    @Test func readyWalWithAnOkIsSkippedAndStaleStatusFilesGo() {
        let plan = ArchivePushAsyncPlan.processList(
            ready: [Self.b, Self.c], spoolOut: [Self.a + ".ok", Self.b + ".ok", Self.c + ".error", "global.error"])
        #expect(plan.push == [Self.c])
        #expect(plan.remove == [Self.a + ".ok", Self.c + ".error", "global.error"])
    }

    @Test func laterPassesKeepTheWorkersOwnErrors() {
        let plan = ArchivePushAsyncPlan.processList(
            ready: [Self.c], spoolOut: [Self.a + ".ok", Self.c + ".error"], keepErrors: true)
        #expect(plan.push == [Self.c])
        #expect(plan.remove == [Self.a + ".ok"])
    }

    static let segment: UInt64 = 16 << 20

    @Test func queueIsExceededOnlyAboveTheMaximum() {
        #expect(!ArchivePushAsyncPlan.exceedsQueue(sizes: [], queueMax: 0))
        #expect(!ArchivePushAsyncPlan.exceedsQueue(sizes: [Self.segment, Self.segment], queueMax: 2 * Self.segment))
        #expect(ArchivePushAsyncPlan.exceedsQueue(sizes: [Self.segment, Self.segment, 1], queueMax: 2 * Self.segment))
        #expect(ArchivePushAsyncPlan.exceedsQueue(sizes: [Self.segment], queueMax: 1 << 20))
    }

    @Test func dropWarningIsPgBackRests() {
        #expect(ArchivePushAsyncPlan.dropWarning(walName: Self.a, queueMax: 1 << 30)
                == "dropped WAL file '\(Self.a)' because archive queue exceeded 1GB")
        #expect(ArchivePushAsyncPlan.dropWarning(walName: Self.a, queueMax: 1 << 20).hasSuffix("exceeded 1MB"))
    }

    @Test func startMessageNamesTheRange() {
        #expect(ArchivePushAsyncPlan.startMessage([Self.a]) == "push 1 WAL file(s) to archive: \(Self.a)")
        #expect(ArchivePushAsyncPlan.startMessage([Self.a, Self.b, Self.c])
                == "push 3 WAL file(s) to archive: \(Self.a)...\(Self.c)")
    }
}
