/// Chains stages so that each stage's output feeds the next, and the last stage's output goes to a sink.
///
/// The pipeline is synchronous and CPU-bound by design: callers run it on a `BlockingPool` thread and move the
/// sink's bytes to storage from there. Memory is bounded by the stages' working buffers.
public final class StagePipeline {
    public let stages: [any ByteStage]
    private var finished = false

    public init(_ stages: [any ByteStage]) {
        self.stages = stages
    }

    /// Pushes `input` through every stage; the final output is handed to `sink`.
    public func process(_ input: UnsafeRawBufferPointer, sink: ByteEmitter) throws {
        precondition(!finished, "pipeline used after finish")
        try push(input, from: 0, sink: sink)
    }

    /// Convenience for `[UInt8]` input.
    public func process(_ input: [UInt8], sink: ByteEmitter) throws {
        try input.withUnsafeBytes { try process($0, sink: sink) }
    }

    /// Ends the stream: each stage is finished in order and its trailing output flows through the later stages.
    public func finish(sink: ByteEmitter) throws {
        precondition(!finished, "pipeline finished twice")
        finished = true
        for index in stages.indices {
            try stages[index].finish { try push($0, from: index + 1, sink: sink) }
        }
    }

    /// Pushes one chunk through and returns everything the last stage emitted for it (bounded by the stages'
    /// expansion; callers that decompress stream with `process(_:sink:)` instead).
    public func processCollecting(_ input: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        try process(input) { output.append(contentsOf: $0) }
        return output
    }

    /// Finishes the stream and returns the trailing output.
    public func finishCollecting() throws -> [UInt8] {
        var output: [UInt8] = []
        try finish { output.append(contentsOf: $0) }
        return output
    }

    private func push(_ bytes: UnsafeRawBufferPointer, from index: Int, sink: ByteEmitter) throws {
        if index == stages.count {
            if bytes.count > 0 { try sink(bytes) }
            return
        }
        try stages[index].process(bytes) { try push($0, from: index + 1, sink: sink) }
    }

    /// Runs whole in-memory content through `stages` and returns the output. For small objects only (info files,
    /// manifests, tests); large content must be streamed with `process`/`finish`.
    public static func transform(_ input: [UInt8], through stages: [any ByteStage]) throws -> [UInt8] {
        let pipeline = StagePipeline(stages)
        var output: [UInt8] = []
        let append: ByteEmitter = { output.append(contentsOf: $0) }
        try pipeline.process(input, sink: append)
        try pipeline.finish(sink: append)
        return output
    }
}
