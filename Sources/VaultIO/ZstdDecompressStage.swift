import CZstd
import VaultCore

/// Decompresses zstd frames (concatenated frames are read in turn) through `ZSTD_decompressStream`, into a 64 KiB
/// buffer so output chunks stay bounded whatever the ratio.
///
/// Errors are `.format` (029): a corrupt frame, input that is not a frame (trailing garbage), input that ends inside a
/// frame or holds no frame at all (truncation), or a checksum mismatch when the frame carries one. pgBackRest writes
/// frames without a content checksum, so a flipped byte inside a block may decode to different bytes instead of an
/// error: the SHA-1 of the content, checked above this stage, catches that.
public final class ZstdDecompressStage: ByteStage {
    private let context: OpaquePointer
    private let buffer = StageBuffer()
    /// True between the first byte of a frame and the call that reports the frame complete (return value 0).
    private var inFrame = false
    private var frameCount = 0
    private var finished = false

    public init() {
        guard let context = ZSTD_createDCtx() else { fatalError("ZSTD_createDCtx: out of memory") }
        self.context = context
    }

    deinit { ZSTD_freeDCtx(context) }

    public func process(_ input: UnsafeRawBufferPointer, emit: ByteEmitter) throws {
        precondition(!finished, "ZstdDecompressStage used after finish")
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var outputFull = false
        // Frame completion is only taken from a call's own return value: an extra call after a completed frame
        // returns the next-header size hint, which is not "incomplete".
        while source.pos < source.size || outputFull {
            let before = source.pos
            var target = ZSTD_outBuffer(dst: buffer.pointer, size: buffer.capacity, pos: 0)
            let hint = ZSTD_decompressStream(context, &target, &source)
            if ZSTD_isError(hint) != 0 {
                throw PGVError(.format, "invalid zst stream: \(String(cString: ZSTD_getErrorName(hint)).lowercased())")
            }
            if source.pos > before { inFrame = true }
            if hint == 0 && inFrame {
                inFrame = false
                frameCount += 1
            }
            outputFull = target.pos == target.size
            try buffer.emit(target.pos, to: emit)
            if source.pos == before && target.pos == 0 {
                if source.pos < source.size { throw PGVError(.format, "invalid zst stream: decoder made no progress") }
                break
            }
        }
    }

    public func finish(emit: ByteEmitter) throws {
        precondition(!finished, "ZstdDecompressStage finished twice")
        finished = true
        if inFrame || frameCount == 0 { throw PGVError(.format, "unexpected end of zst stream") }
    }
}
