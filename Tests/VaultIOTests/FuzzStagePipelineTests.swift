import Testing
import VaultCore
@testable import VaultIO

/// The restore read pipeline on mutated repository files: decrypt, decompress (each type), SHA-1 and size, as a
/// stored file of an encrypted, compressed repository is read back. Each input decodes or throws `PGVError`.
struct FuzzStagePipelineTests {
    @Test func fuzzStagePipelineRead() throws {
        let codecs = Codec.compressions.map(Codec.encrypted)
        var seeds: [(codec: Int, bytes: [UInt8])] = []
        for (index, codec) in codecs.enumerated() {
            for plain in FuzzStageFeeder.plains { seeds.append((index, try FuzzStageFeeder.encoded(plain, codec.encoders()))) }
        }
        let run = FuzzLoop.run("stage pipeline", generate: { mutator in
            let seed = mutator.pick(seeds)
            return (seed.codec, FuzzStageFeeder.input([seed.bytes], &mutator))
        }) { (codec: Int, input: FuzzStageFeeder.Input) in
            let hash = HashStage(.sha1)
            let size = SizeStage()
            try FuzzStageFeeder.feed(input, through: try codecs[codec].decoders() + [hash, size])
        }
        #expect(run.passed == run.iterations)
    }
}
