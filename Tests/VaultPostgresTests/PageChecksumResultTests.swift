import Testing
@testable import VaultPostgres

struct PageChecksumResultTests {
    @Test(arguments: [
        ([UInt32](), [ClosedRange<UInt32>]()),
        ([1], [1...1]),
        ([1, 5, 6, 7], [1...1, 5...7]),
        ([0, 1, 3, 4, 9], [0...1, 3...4, 9...9]),
    ])
    func mergesFailingBlocksIntoRuns(blocks: [UInt32], ranges: [ClosedRange<UInt32>]) {
        #expect(PageChecksumResult(failingBlocks: blocks, aligned: true).failingRanges == ranges)
    }

    @Test func validOnlyWhenAlignedWithoutFailures() {
        #expect(PageChecksumResult(failingBlocks: [], aligned: true).valid)
        #expect(!PageChecksumResult(failingBlocks: [3], aligned: true).valid)
        #expect(!PageChecksumResult(failingBlocks: [], aligned: false).valid)
    }
}
