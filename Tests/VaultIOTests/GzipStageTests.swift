import Testing
import VaultCore
@testable import VaultIO

struct GzipStageTests {
    @Test func headerIsGzipWithZeroMtime() throws {
        let stream = try StagePipeline.transform(Array("hello".utf8), through: [try GzipCompressStage(level: 6)])
        #expect(Array(stream.prefix(3)) == [0x1f, 0x8b, 0x08])
        #expect(Array(stream[4..<8]) == [0, 0, 0, 0], "mtime 0")
        #expect(Array(stream.suffix(4)) == [5, 0, 0, 0], "ISIZE")
    }

    @Test func levelOutsideZlibRangeIsRefused() {
        let error = PGVError.caught { _ = try GzipCompressStage(level: 10) }
        #expect(error?.code == .format)
    }
}
