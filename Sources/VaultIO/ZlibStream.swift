import CZlib
import VaultCore

/// A heap-allocated `z_stream` (zlib keeps a back-pointer to it, so it must never move) plus a fixed output buffer.
/// Shared by the gzip compress and decompress stages.
final class ZlibStream {
    static let chunkSize = 64 * 1024

    let stream: UnsafeMutablePointer<z_stream>
    var output: [UInt8]

    init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = [UInt8](repeating: 0, count: Self.chunkSize)
    }

    deinit { stream.deallocate() }

    /// Runs `step` (deflate or inflate) over `input` until it is consumed and the output buffer is no longer filled,
    /// emitting each produced chunk. Returns the last zlib status.
    @discardableResult
    func run(_ input: UnsafeRawBufferPointer, flush: Int32, emit: ByteEmitter,
             step: (UnsafeMutablePointer<z_stream>, Int32) -> Int32, stopAtEnd: Bool = false) throws -> Int32 {
        var status: Int32 = Z_OK
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: UInt8.self).baseAddress)
        stream.pointee.avail_in = UInt32(input.count)
        repeat {
            let produced: Int = output.withUnsafeMutableBytes { out in
                stream.pointee.next_out = out.bindMemory(to: UInt8.self).baseAddress
                stream.pointee.avail_out = UInt32(out.count)
                status = step(stream, flush)
                return out.count - Int(stream.pointee.avail_out)
            }
            if produced > 0 {
                try output.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0.prefix(produced))) }
            }
            if status == Z_STREAM_END && stopAtEnd { break }
            if status != Z_OK && status != Z_BUF_ERROR && status != Z_STREAM_END { break }
            if status == Z_BUF_ERROR && produced == 0 { break }
        } while stream.pointee.avail_out == 0 || stream.pointee.avail_in > 0 && status != Z_STREAM_END
        return status
    }
}
