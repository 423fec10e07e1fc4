import Testing
import VaultCore
@testable import VaultIO

/// The lz4 frame header fields pgBackRest's format reference fixes (§4).
struct LZ4StageTests {
    @Test func frameHasMagicDefaultBlockSizeAndContentChecksum() throws {
        let frame = try StagePipeline.transform(Array("hello".utf8), through: [LZ4CompressStage()])
        #expect(Array(frame.prefix(4)) == [0x04, 0x22, 0x4d, 0x18])
        #expect(frame[4] & 0x04 != 0, "content checksum flag")
        #expect(frame[5] == 0x40, "block max size 64 KiB")
    }

    /// `verifyingFrameChecksums: false` (LZ4F's skipChecksums) decodes a frame whose content checksum was damaged;
    /// the default refuses it with 029.
    @Test func skippingFrameChecksumsDecodesADamagedChecksum() throws {
        let content = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
        var frame = try StagePipeline.transform(content, through: [LZ4CompressStage()])
        frame[frame.count - 2] ^= 0x01
        let error = #expect(throws: PGVError.self) { try StagePipeline.transform(frame, through: [LZ4DecompressStage()]) }
        #expect(error?.code == .format)
        let decoded = try StagePipeline.transform(frame, through: [LZ4DecompressStage(verifyingFrameChecksums: false)])
        #expect(decoded == content)
    }

    /// Skipping checksums does not skip the block format: truncation is still 029.
    @Test func skippingFrameChecksumsStillRefusesATruncatedFrame() throws {
        let content = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
        let frame = try StagePipeline.transform(content, through: [LZ4CompressStage()])
        let error = #expect(throws: PGVError.self) {
            try StagePipeline.transform(Array(frame.prefix(frame.count / 2)), through: [LZ4DecompressStage(verifyingFrameChecksums: false)])
        }
        #expect(error?.code == .format)
    }
}
