import Testing
import VaultCore
@testable import VaultIO

/// Round trips, chunking, concatenated frames and bounded output, for every compression stage. The formats'
/// per-type files (`LZ4StageTests`, ...) hold what is specific to each.
struct CompressionStageTests {
    static let types: [CompressionType] = [.gz, .lz4, .zst, .bz2]

    @Test(arguments: types, [0, 1, 100, 65_536, 1_000_000])
    func roundTripAtEveryLevelBoundary(type: CompressionType, count: Int) throws {
        let input = SampleData.bytes(count, seed: UInt64(count))
        for level in [type.levelRange.lowerBound, type.defaultLevel, type.levelRange.upperBound] {
            let compressed = try StagePipeline.transform(input, through: [try #require(try type.compressStage(level: level))])
            let output = try StagePipeline.transform(compressed, through: [try #require(try type.decompressStage())])
            #expect(output == input, "\(type) level \(level)")
        }
    }

    @Test(arguments: types)
    func decodingIsIndependentOfInputChunking(type: CompressionType) throws {
        let input = SampleData.bytes(400_000, seed: 9)
        let compressed = try StagePipeline.transform(input, through: [try #require(try type.compressStage())])
        for chunk in [1, 13, 4096, compressed.count] {
            let stage = try #require(try type.decompressStage())
            var output: [UInt8] = []
            for start in stride(from: 0, to: compressed.count, by: chunk) {
                try compressed[start..<min(start + chunk, compressed.count)].withUnsafeBytes {
                    try stage.process($0) { output.append(contentsOf: $0) }
                }
            }
            try stage.finish { output.append(contentsOf: $0) }
            #expect(output == input, "\(type) fed in \(chunk)-byte chunks")
        }
    }

    /// The CLIs read concatenated frames/members/streams as one; so do the stages.
    @Test(arguments: types)
    func concatenatedStreamsDecodeInTurn(type: CompressionType) throws {
        let first = SampleData.bytes(70_000, seed: 1), second = SampleData.bytes(5, seed: 2)
        let joined = try StagePipeline.transform(first, through: [try #require(try type.compressStage())])
            + StagePipeline.transform(second, through: [try #require(try type.compressStage())])
        #expect(try StagePipeline.transform(joined, through: [try #require(try type.decompressStage())]) == first + second)
    }

    /// A decompression bomb: 100 MiB of zeros compress to little, and decompress in chunks of at most 64 KiB.
    @Test(arguments: types)
    func decompressedChunksStayBounded(type: CompressionType) throws {
        let zeros = [UInt8](repeating: 0, count: 1024 * 1024)
        let compressor = try #require(try type.compressStage())
        var compressed: [UInt8] = []
        for _ in 0..<100 { try zeros.withUnsafeBytes { try compressor.process($0) { compressed.append(contentsOf: $0) } } }
        try compressor.finish { compressed.append(contentsOf: $0) }
        #expect(compressed.count < 1024 * 1024)

        let decompressor = try #require(try type.decompressStage())
        var total = 0, largest = 0
        let sink: ByteEmitter = { chunk in
            total += chunk.count
            largest = max(largest, chunk.count)
            if chunk.contains(where: { $0 != 0 }) { Issue.record("non-zero output") }
        }
        try compressed.withUnsafeBytes { try decompressor.process($0, emit: sink) }
        try decompressor.finish(emit: sink)
        #expect(total == 100 * 1024 * 1024)
        #expect(largest <= StageBuffer.defaultCapacity)
    }

    @Test(arguments: types)
    func compressedChunksStayBounded(type: CompressionType) throws {
        let input = SampleData.bytes(3_000_000, seed: 5)
        let stage = try #require(try type.compressStage(level: type == .lz4 ? 1 : nil))
        var largest = 0
        try input.withUnsafeBytes { try stage.process($0) { largest = max(largest, $0.count) } }
        try stage.finish { largest = max(largest, $0.count) }
        // lz4 emits what LZ4F returns for one input slice of at most 1 MiB: LZ4F_compressBound(1 MiB) plus the
        // header (about 1 MiB + 4 KiB); the others emit from their 64 KiB buffer.
        let bound = type == .lz4 ? (1 << 20) + 8 * 1024 : StageBuffer.defaultCapacity + 1024
        #expect(largest <= bound)
    }
}
