import Testing
@testable import VaultIO

struct SizeStageTests {
    @Test(arguments: [0, 1, 65_536, 1_000_003])
    func countsBytesAndPassesThemThrough(count: Int) throws {
        let input = SampleData.bytes(count)
        let size = SizeStage()
        #expect(try StagePipeline.transform(input, through: [size]) == input)
        #expect(size.byteCount == UInt64(count))
    }
}
