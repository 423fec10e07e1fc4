import Testing
@testable import VaultIO

struct ZstdStageTests {
    @Test func frameHasMagicAndNoChecksum() throws {
        let frame = try StagePipeline.transform(Array("hello".utf8), through: [ZstdCompressStage()])
        #expect(Array(frame.prefix(4)) == [0x28, 0xb5, 0x2f, 0xfd])
        #expect(frame[4] & 0x04 == 0, "no content checksum, as pgBackRest writes zst")
    }
}
