import CZstd
import VaultCore

/// Compresses to a zstd frame through the streaming API (`ZSTD_compressStream2` with `ZSTD_e_continue`, then
/// `ZSTD_e_end` until it returns 0), library defaults apart from the level, as pgBackRest does: no content checksum
/// is requested. Output goes out through a 64 KiB buffer.
public final class ZstdCompressStage: ByteStage {
    /// pgBackRest's compress-level range for zst; negative levels are zstd's fast modes.
    public static let levelRange = -7...22
    public static let defaultLevel = 3

    private let context: OpaquePointer
    private let buffer = StageBuffer()
    private var finished = false

    public init(level: Int = ZstdCompressStage.defaultLevel) {
        guard let context = ZSTD_createCCtx() else { fatalError("ZSTD_createCCtx: out of memory") }
        self.context = context
        let clamped = min(max(level, Self.levelRange.lowerBound), Self.levelRange.upperBound)
        let set = ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, Int32(clamped))
        precondition(ZSTD_isError(set) == 0, "ZSTD_c_compressionLevel \(clamped) refused")
    }

    deinit { ZSTD_freeCCtx(context) }

    public func process(_ input: UnsafeRawBufferPointer, emit: ByteEmitter) throws {
        precondition(!finished, "ZstdCompressStage used after finish")
        guard input.count > 0 else { return }
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while source.pos < source.size {
            var target = ZSTD_outBuffer(dst: buffer.pointer, size: buffer.capacity, pos: 0)
            try check(ZSTD_compressStream2(context, &target, &source, ZSTD_e_continue))
            try buffer.emit(target.pos, to: emit)
        }
    }

    public func finish(emit: ByteEmitter) throws {
        precondition(!finished, "ZstdCompressStage finished twice")
        finished = true
        var source = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        var remaining = 1
        while remaining != 0 {
            var target = ZSTD_outBuffer(dst: buffer.pointer, size: buffer.capacity, pos: 0)
            remaining = ZSTD_compressStream2(context, &target, &source, ZSTD_e_end)
            try check(remaining)
            try buffer.emit(target.pos, to: emit)
        }
    }

    private func check(_ code: Int) throws {
        if ZSTD_isError(code) != 0 {
            throw PGVError(.format, "unable to compress zst stream: \(String(cString: ZSTD_getErrorName(code)))")
        }
    }
}
