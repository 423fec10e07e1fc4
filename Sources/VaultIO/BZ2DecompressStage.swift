import CBZ2
import VaultCore

/// Decompresses bzip2 streams (concatenated streams, as `bzip2 -d` reads them, are read in turn) through
/// `BZ2_bzDecompress`, into a 64 KiB buffer so output chunks stay bounded whatever the ratio. The `bz_stream` is
/// heap-allocated because libbz2 keeps a pointer back to it.
///
/// Errors are `.format` (029): a block or stream CRC mismatch (a flipped byte), input without the `BZh` magic
/// (trailing garbage), or input that ends inside a stream or holds no stream at all (truncation).
public final class BZ2DecompressStage: ByteStage {
    private let stream: UnsafeMutablePointer<bz_stream>
    private let buffer = StageBuffer()
    private var inStream = false
    private var streamCount = 0
    private var finished = false

    public init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: bz_stream())
        let result = BZ2_bzDecompressInit(stream, 0, 0)
        guard result == BZ_OK else { fatalError("BZ2_bzDecompressInit failed: \(result)") }
    }

    deinit {
        BZ2_bzDecompressEnd(stream)
        stream.deallocate()
    }

    public func process(_ input: UnsafeRawBufferPointer, emit: ByteEmitter) throws {
        precondition(!finished, "BZ2DecompressStage used after finish")
        var offset = 0
        var outputFull = false
        while offset < input.count || outputFull {
            if !inStream && offset < input.count && streamCount > 0 {
                // A new stream after a complete one: libbz2 needs a fresh state.
                BZ2_bzDecompressEnd(stream)
                stream.initialize(to: bz_stream())
                let result = BZ2_bzDecompressInit(stream, 0, 0)
                guard result == BZ_OK else { fatalError("BZ2_bzDecompressInit failed: \(result)") }
            }
            let count = min(1 << 30, input.count - offset)
            stream.pointee.next_in = count > 0
                ? UnsafeMutablePointer(mutating: (input.baseAddress! + offset).assumingMemoryBound(to: CChar.self))
                : nil
            stream.pointee.avail_in = UInt32(count)
            stream.pointee.next_out = buffer.pointer.assumingMemoryBound(to: CChar.self)
            stream.pointee.avail_out = UInt32(buffer.capacity)
            let result = BZ2_bzDecompress(stream)
            let consumed = count - Int(stream.pointee.avail_in)
            let produced = buffer.capacity - Int(stream.pointee.avail_out)
            offset += consumed
            if consumed > 0 { inStream = true }
            switch result {
            case BZ_OK: break
            case BZ_STREAM_END:
                inStream = false
                streamCount += 1
            case BZ_DATA_ERROR_MAGIC:
                throw PGVError(.format, "invalid bz2 stream: bad magic")
            case BZ_DATA_ERROR:
                throw PGVError(.format, "invalid bz2 stream: data integrity (crc) error")
            case BZ_MEM_ERROR:
                throw PGVError(.memory, "unable to decompress bz2 stream: out of memory")
            default:
                throw PGVError(.format, "invalid bz2 stream: error \(result)")
            }
            // BZ_STREAM_END is only returned once all output has been handed over.
            outputFull = result != BZ_STREAM_END && produced == buffer.capacity
            try buffer.emit(produced, to: emit)
            if consumed == 0 && produced == 0 && result != BZ_STREAM_END {
                if offset < input.count { throw PGVError(.format, "invalid bz2 stream: decoder made no progress") }
                break
            }
        }
    }

    public func finish(emit: ByteEmitter) throws {
        precondition(!finished, "BZ2DecompressStage finished twice")
        finished = true
        if inStream || streamCount == 0 { throw PGVError(.format, "unexpected end of bz2 stream") }
    }
}
