import Testing
import VaultCore
@testable import VaultIO

/// Every decompression stage (lz4, zstd, gzip, bz2) on mutated frames, fed in random chunk sizes: each input
/// decodes or throws `PGVError`; never a trap, never unbounded memory.
struct FuzzDecompressStagesTests {
    @Test(arguments: Codec.compressions)
    func fuzzDecompress(_ codec: Codec) throws {
        let seeds = try FuzzStageFeeder.plains.map { try FuzzStageFeeder.encoded($0, codec.encoders()) }
        let run = FuzzLoop.run("decompress \(codec.description)", generate: { FuzzStageFeeder.input(seeds, &$0) }) { input in
            try FuzzStageFeeder.feed(input, through: try codec.decoders())
        }
        #expect(run.passed == run.iterations)
    }
}
