import Testing
@testable import VaultIO

/// The lz4 frame header fields pgBackRest's format reference fixes (§4).
struct LZ4StageTests {
    @Test func frameHasMagicDefaultBlockSizeAndContentChecksum() throws {
        let frame = try StagePipeline.transform(Array("hello".utf8), through: [LZ4CompressStage()])
        #expect(Array(frame.prefix(4)) == [0x04, 0x22, 0x4d, 0x18])
        #expect(frame[4] & 0x04 != 0, "content checksum flag")
        #expect(frame[5] == 0x40, "block max size 64 KiB")
    }
}

