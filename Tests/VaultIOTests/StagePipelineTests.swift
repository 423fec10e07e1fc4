import Testing
@testable import VaultIO

struct StagePipelineTests {
    /// The backup chain (SHA-1 of content → lz4 → AES → SHA-1 of stored bytes) and the restore chain back.
    @Test(arguments: [0, 1, 65_536, 2_000_000])
    func backupChainReversesToTheSameBytesAndDigests(count: Int) throws {
        let content = SampleData.bytes(count, seed: 21)
        let checksum = HashStage(.sha1), size = SizeStage(), storedChecksum = HashStage(.sha1), storedSize = SizeStage()
        let stored = try StagePipeline.transform(content, through: [
            checksum, size, LZ4CompressStage(), try AESCipherStage(mode: .encrypt, passphrase: "pass"), storedChecksum, storedSize,
        ])
        #expect(checksum.hexDigest == Digest.sha1Hex(content))
        #expect(storedChecksum.hexDigest == Digest.sha1Hex(stored))
        #expect(size.byteCount == UInt64(count) && storedSize.byteCount == UInt64(stored.count))

        let readChecksum = HashStage(.sha1), restoredChecksum = HashStage(.sha1)
        let restored = try StagePipeline.transform(stored, through: [
            readChecksum, try AESCipherStage(mode: .decrypt, passphrase: "pass"), LZ4DecompressStage(), restoredChecksum,
        ])
        #expect(restored == content)
        #expect(readChecksum.hexDigest == storedChecksum.hexDigest)
        #expect(restoredChecksum.hexDigest == checksum.hexDigest)
    }

    @Test func emptyPipelinePassesBytesThrough() throws {
        #expect(try StagePipeline.transform([1, 2, 3], through: []) == [1, 2, 3])
    }

    /// 100 MiB of zeros through decrypt → decompress reaches the sink in bounded chunks.
    @Test func decompressingChainEmitsBoundedChunks() throws {
        let zeros = [UInt8](repeating: 0, count: 1024 * 1024)
        let encode = StagePipeline([LZ4CompressStage(), try AESCipherStage(mode: .encrypt, passphrase: "p")])
        var stored: [UInt8] = []
        for _ in 0..<100 { try encode.process(zeros) { stored.append(contentsOf: $0) } }
        try encode.finish { stored.append(contentsOf: $0) }

        let decode = StagePipeline([try AESCipherStage(mode: .decrypt, passphrase: "p"), LZ4DecompressStage()])
        var total = 0, largest = 0
        let sink: ByteEmitter = { total += $0.count; largest = max(largest, $0.count) }
        try decode.process(stored, sink: sink)
        try decode.finish(sink: sink)
        #expect(total == 100 * 1024 * 1024)
        #expect(largest <= StageBuffer.defaultCapacity)
    }
}
