import VaultCore
@testable import VaultIO

/// Feeds fuzz inputs to decoding stages the way storage does: through a `StagePipeline`, in chunks of a random
/// size, then `finish`. The output is counted, not kept; past `outputLimit` the feed stops (a valid decompression
/// bomb is not a defect, but it would turn one iteration into minutes).
enum FuzzStageFeeder {
    static let outputLimit = 64 << 20

    /// One fuzz input: the bytes and the chunk size to split them at.
    struct Input {
        var bytes: [UInt8]
        var chunk: Int
    }

    private struct OutputLimitReached: Error {}

    /// A mutation of one of `seeds`, with a chunk size of 1 byte to 64 KiB.
    static func input(_ seeds: [[UInt8]], _ mutator: inout FuzzMutator) -> Input {
        let chunks = [1, 7, 16, 512, 4096, 65536]
        return Input(bytes: mutator.mutate(mutator.pick(seeds)), chunk: mutator.pick(chunks))
    }

    /// Runs `input` through `stages`; returns the output size, or nil when the output limit stopped it.
    @discardableResult
    static func feed(_ input: Input, through stages: [any ByteStage]) throws -> Int? {
        let pipeline = StagePipeline(stages)
        var produced = 0
        let sink: ByteEmitter = { chunk in
            produced += chunk.count
            if produced > outputLimit { throw OutputLimitReached() }
        }
        do {
            var offset = 0
            while offset < input.bytes.count {
                let end = min(input.bytes.count, offset + input.chunk)
                try pipeline.process(Array(input.bytes[offset..<end]), sink: sink)
                offset = end
            }
            try pipeline.finish(sink: sink)
        } catch is OutputLimitReached {
            return nil
        }
        return produced
    }

    /// `plain` encoded through `encoders` (a valid frame to start mutating from).
    static func encoded(_ plain: [UInt8], _ encoders: [any ByteStage]) throws -> [UInt8] {
        try StagePipeline.transform(plain, through: encoders)
    }

    /// Plain inputs for the seeds: empty, one byte, a short text, 64 KiB of PostgreSQL-like pages.
    static let plains: [[UInt8]] = [[], [0x41], Array("pgvault fuzz seed text, pgvault fuzz seed text".utf8),
                                    SampleData.bytes(64 * 1024, seed: 7)]
}
