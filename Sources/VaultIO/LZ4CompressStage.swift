import CLZ4
import VaultCore

/// Compresses to the LZ4 frame format as the `lz4` CLI writes it (and pgBackRest's `.lz4` files): default frame
/// preferences (64 KiB blocks) with the content checksum enabled. Uses `LZ4F_compressBegin` / `LZ4F_compressUpdate`
/// / `LZ4F_compressEnd`; input is fed in slices of at most 1 MiB so one output chunk never exceeds
/// `LZ4F_compressBound` of a slice.
public final class LZ4CompressStage: ByteStage {
    /// pgBackRest's compress-level range for lz4; negative levels are LZ4's fast (accelerated) modes.
    public static let levelRange = -5...12
    public static let defaultLevel = 1

    /// Input handed to LZ4F per call. Large, so the 64 KiB blocks inside one call are contiguous and LZ4F compresses
    /// each against the previous one in place (prefix mode), saving its dictionary copy once per call.
    private static let sliceSize = 1 << 20
    private let context: OpaquePointer
    private var preferences = LZ4F_preferences_t()
    private let buffer: StageBuffer
    private var started = false
    private var finished = false

    public init(level: Int = LZ4CompressStage.defaultLevel) {
        var context: OpaquePointer?
        let created = LZ4F_createCompressionContext(&context, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(created) == 0, let context else { fatalError("LZ4F_createCompressionContext failed") }
        self.context = context
        preferences.compressionLevel = Int32(min(max(level, Self.levelRange.lowerBound), Self.levelRange.upperBound))
        preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
        let bound = LZ4F_compressBound(Self.sliceSize, &preferences) + Int(LZ4F_HEADER_SIZE_MAX)
        buffer = StageBuffer(capacity: bound)
    }

    deinit { LZ4F_freeCompressionContext(context) }

    public func process(_ input: UnsafeRawBufferPointer, emit: ByteEmitter) throws {
        precondition(!finished, "LZ4CompressStage used after finish")
        try begin(emit: emit)
        var offset = 0
        // `stableSrc` stays 0: LZ4F then keeps its own copy of the 64 KiB dictionary. Passing 1 for all but the
        // last slice of a call was faster, but let LZ4F keep pointing into the caller's buffer after the call (a
        // trailing partial block is buffered without saving the dictionary); with two workers that memory was
        // reused before the frame was finished and backups held lz4 frames failing their content checksum.
        var options = LZ4F_compressOptions_t()
        while offset < input.count {
            let count = min(Self.sliceSize, input.count - offset)
            options.stableSrc = 0
            let written = LZ4F_compressUpdate(
                context, buffer.pointer, buffer.capacity, input.baseAddress! + offset, count, &options)
            try check(written)
            try buffer.emit(written, to: emit)
            offset += count
        }
    }

    public func finish(emit: ByteEmitter) throws {
        precondition(!finished, "LZ4CompressStage finished twice")
        try begin(emit: emit)
        finished = true
        let written = LZ4F_compressEnd(context, buffer.pointer, buffer.capacity, nil)
        try check(written)
        try buffer.emit(written, to: emit)
    }

    /// Writes the frame header once, before the first block (so empty input still yields a valid frame).
    private func begin(emit: ByteEmitter) throws {
        guard !started else { return }
        started = true
        let written = LZ4F_compressBegin(context, buffer.pointer, buffer.capacity, &preferences)
        try check(written)
        try buffer.emit(written, to: emit)
    }

    private func check(_ code: Int) throws {
        if LZ4F_isError(code) != 0 {
            throw PGVError(.format, "unable to compress lz4 stream: \(String(cString: LZ4F_getErrorName(code)))")
        }
    }
}
