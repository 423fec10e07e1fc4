import CBZ2
import VaultCore

/// Compresses to a bzip2 stream (`BZ2_bzCompressInit` with blockSize100k = level, `BZ2_bzCompress` with `BZ_RUN`
/// then `BZ_FINISH` until `BZ_STREAM_END`). The `bz_stream` is heap-allocated because libbz2 keeps a pointer back to
/// it, so it must never move. Output goes out through a 64 KiB buffer.
public final class BZ2CompressStage: ByteStage {
    /// pgBackRest's compress-level range for bz2 (block size in 100 kB units).
    public static let levelRange = 1...9
    public static let defaultLevel = 9

    private let stream: UnsafeMutablePointer<bz_stream>
    private let buffer = StageBuffer()
    private var finished = false

    public init(level: Int = BZ2CompressStage.defaultLevel) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: bz_stream())
        let blockSize = min(max(level, Self.levelRange.lowerBound), Self.levelRange.upperBound)
        let result = BZ2_bzCompressInit(stream, Int32(blockSize), 0, 0)
        guard result == BZ_OK else { fatalError("BZ2_bzCompressInit failed: \(result)") }
    }

    deinit {
        BZ2_bzCompressEnd(stream)
        stream.deallocate()
    }

    public func process(_ input: UnsafeRawBufferPointer, emit: ByteEmitter) throws {
        precondition(!finished, "BZ2CompressStage used after finish")
        var offset = 0
        while offset < input.count {
            // avail_in is 32-bit: feed at most 1 GiB per call.
            let count = min(1 << 30, input.count - offset)
            stream.pointee.next_in = UnsafeMutablePointer(
                mutating: (input.baseAddress! + offset).assumingMemoryBound(to: CChar.self))
            stream.pointee.avail_in = UInt32(count)
            while stream.pointee.avail_in > 0 {
                try run(BZ_RUN, emit: emit)
            }
            offset += count
        }
    }

    public func finish(emit: ByteEmitter) throws {
        precondition(!finished, "BZ2CompressStage finished twice")
        finished = true
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        while try run(BZ_FINISH, emit: emit) != BZ_STREAM_END {}
    }

    @discardableResult
    private func run(_ action: Int32, emit: ByteEmitter) throws -> Int32 {
        stream.pointee.next_out = buffer.pointer.assumingMemoryBound(to: CChar.self)
        stream.pointee.avail_out = UInt32(buffer.capacity)
        let result = BZ2_bzCompress(stream, action)
        guard result == BZ_RUN_OK || result == BZ_FINISH_OK || result == BZ_STREAM_END else {
            throw PGVError(.format, "unable to compress bz2 stream: error \(result)")
        }
        try buffer.emit(buffer.capacity - Int(stream.pointee.avail_out), to: emit)
        return result
    }
}
