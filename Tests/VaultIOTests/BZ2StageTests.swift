import Testing
@testable import VaultIO

struct BZ2StageTests {
    @Test(arguments: [1, 9])
    func headerCarriesBlockSizeOfLevel(level: Int) throws {
        let stream = try StagePipeline.transform(Array("hello".utf8), through: [BZ2CompressStage(level: level)])
        #expect(Array(stream.prefix(4)) == Array("BZh\(level)".utf8))
    }
}
