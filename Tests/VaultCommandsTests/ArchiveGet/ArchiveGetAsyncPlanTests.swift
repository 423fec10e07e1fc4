import Testing
@testable import VaultCommands

@Suite struct ArchiveGetAsyncPlanTests {
    static let size: UInt32 = 16 << 20

    @Test func notFoundStartsAtTheRequestAndHoldsQueueMaxWorth() {
        let plan = ArchiveGetAsyncPlan.queue(walName: "0000000100000000000000FE", found: false, queueMax: 64 << 20,
                                             segmentSize: Self.size, actual: [])
        #expect(plan.need == ["0000000100000000000000FE", "0000000100000000000000FF", "000000010000000100000000",
                              "000000010000000100000001"])
        #expect(plan.remove.isEmpty)
    }

    @Test func foundStartsAfterTheRequestAndKeepsWhatIsQueued() {
        let plan = ArchiveGetAsyncPlan.queue(
            walName: "000000010000000000000010", found: true, queueMax: 48 << 20, segmentSize: Self.size,
            actual: ["00000001000000000000000F", "000000010000000000000011", "000000010000000000000011.ok",
                     "000000010000000000000012.pgbackrest.tmp", "000000010000000000000013.error", "global.error",
                     "000000010000000000000020"])
        #expect(plan.need == ["000000010000000000000012", "000000010000000000000013"])
        #expect(plan.remove == ["00000001000000000000000F", "000000010000000000000012.pgbackrest.tmp",
                                "000000010000000000000013.error", "000000010000000000000020", "global.error"])
    }

    @Test func theWindowIsAtLeastTwoSegments() {
        let plan = ArchiveGetAsyncPlan.queue(walName: "000000020000000000000001", found: false, queueMax: 0,
                                             segmentSize: Self.size, actual: [])
        #expect(plan.need == ["000000020000000000000001", "000000020000000000000002"])
    }

    @Test func largerSegmentsRollOverSooner() {
        let plan = ArchiveGetAsyncPlan.queue(walName: "00000001000000000000003F", found: false, queueMax: 128 << 20,
                                             segmentSize: 64 << 20, actual: [])
        #expect(plan.need == ["00000001000000000000003F", "000000010000000100000000"])
    }

    @Test func queueFullAtMoreThanHalf() {
        let segment = UInt64(Self.size)
        #expect(!ArchiveGetAsyncPlan.queueFull(segmentsQueued: 4, segmentSize: segment, queueMax: 8 * segment))
        #expect(ArchiveGetAsyncPlan.queueFull(segmentsQueued: 5, segmentSize: segment, queueMax: 8 * segment))
    }

    @Test func startMessageNamesTheRange() {
        #expect(ArchiveGetAsyncPlan.startMessage(["A", "B"]) == "get 2 WAL file(s) from archive: A...B")
    }
}
