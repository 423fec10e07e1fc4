/// Receives the output of a stage, one bounded chunk at a time. The buffer is only valid during the call.
public typealias ByteEmitter = (UnsafeRawBufferPointer) throws -> Void

/// One streaming transform over bytes: a hash, a size counter, a compressor, a cipher.
///
/// A stage is fed input chunks with `process` and told the stream ended with `finish`. It hands its output to
/// `emit` in chunks no larger than its own fixed working buffer, so memory stays flat whatever the stream size
/// (a decompression bomb emits many small chunks rather than one huge one). Stages are single-use and owned by
/// one job at a time; results (digest, byte counts) are read from the stage's typed properties after `finish`.
public protocol ByteStage: AnyObject {
    func process(_ input: UnsafeRawBufferPointer, emit: ByteEmitter) throws
    func finish(emit: ByteEmitter) throws
}
