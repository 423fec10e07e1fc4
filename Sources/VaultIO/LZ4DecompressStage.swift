import CLZ4
import VaultCore

/// Decompresses LZ4 frames (any block size or flags the `lz4` CLI writes; concatenated frames are read in turn)
/// through `LZ4F_decompress`, into a 64 KiB buffer so output chunks stay bounded whatever the ratio.
///
/// Errors are `.format` (029): a corrupt frame or a content checksum mismatch (a flipped byte), input that is not a
/// frame (trailing garbage), or input that ends inside a frame or holds no frame at all (truncation).
///
/// `verifyingFrameChecksums: false` sets `LZ4F_decompressOptions_t.skipChecksums`: the frame's XXH32 content checksum
/// is neither computed nor checked. For callers that check a stronger digest of the output themselves (restore
/// compares every file's SHA-1 with the manifest), since XXH32 costs several times the decoding itself (0.55 s per
/// GiB against 0.06 s on pgbench data with Debian's liblz4 1.9.4). A flipped byte then surfaces as that caller's
/// checksum error (026) unless it also breaks the block format (029).
public final class LZ4DecompressStage: ByteStage {
    private let context: OpaquePointer
    private var options = LZ4F_decompressOptions_t()
    private let buffer = StageBuffer()
    /// True between the first byte of a frame and the call that reports the frame complete (hint 0).
    private var inFrame = false
    private var frameCount = 0
    private var finished = false

    public init(verifyingFrameChecksums: Bool = true) {
        options.skipChecksums = verifyingFrameChecksums ? 0 : 1
        var context: OpaquePointer?
        let created = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(created) == 0, let context else { fatalError("LZ4F_createDecompressionContext failed") }
        self.context = context
    }

    deinit { LZ4F_freeDecompressionContext(context) }

    public func process(_ input: UnsafeRawBufferPointer, emit: ByteEmitter) throws {
        precondition(!finished, "LZ4DecompressStage used after finish")
        var offset = 0
        var outputFull = false
        // Loop while input remains or the last call filled the buffer (more decoded bytes may be pending). Frame
        // completion is only taken from a call's own return value: an extra call after a completed frame returns
        // the next-header size hint, which is not "incomplete".
        while offset < input.count || outputFull {
            var outSize = buffer.capacity
            var inSize = input.count - offset
            let source = inSize > 0 ? input.baseAddress! + offset : nil
            let hint = LZ4F_decompress(context, buffer.pointer, &outSize, source, &inSize, &options)
            if LZ4F_isError(hint) != 0 {
                throw PGVError(.format, "invalid lz4 stream: \(String(cString: LZ4F_getErrorName(hint)).lowercased())")
            }
            offset += inSize
            if inSize > 0 { inFrame = true }
            if hint == 0 && inFrame {
                inFrame = false
                frameCount += 1
            }
            outputFull = outSize == buffer.capacity
            try buffer.emit(outSize, to: emit)
            if inSize == 0 && outSize == 0 {
                if offset < input.count { throw PGVError(.format, "invalid lz4 stream: decoder made no progress") }
                break
            }
        }
    }

    public func finish(emit: ByteEmitter) throws {
        precondition(!finished, "LZ4DecompressStage finished twice")
        finished = true
        if inFrame || frameCount == 0 { throw PGVError(.format, "unexpected end of lz4 stream") }
    }
}
