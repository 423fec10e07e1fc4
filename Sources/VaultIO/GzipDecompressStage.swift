import CZlib
import VaultCore

/// gzip decompression (inflate, windowBits 15+16). Concatenated gzip members are accepted as `gzip -d` does.
/// Corrupt input, a bad CRC, or input that ends before the stream does gives `.format` (029).
public final class GzipDecompressStage: ByteStage {
    private let zlib = ZlibStream()
    private var ended = false
    private var sawInput = false

    public init() throws {
        let status = czlib_inflateInit2(zlib.stream, 15 + 16)
        guard status == Z_OK else { throw PGVError(.format, "unable to initialize gz decompression (zlib error \(status))") }
    }

    deinit { inflateEnd(zlib.stream) }

    public func process(_ input: UnsafeRawBufferPointer, emit: ByteEmitter) throws {
        var remaining = input
        while !remaining.isEmpty {
            if ended {
                // Another gzip member follows the one that ended.
                inflateReset(zlib.stream)
                ended = false
            }
            sawInput = true
            let status = try zlib.run(remaining, flush: Z_NO_FLUSH, emit: emit, step: { inflate($0, $1) }, stopAtEnd: true)
            switch status {
            case Z_STREAM_END:
                ended = true
            case Z_OK, Z_BUF_ERROR:
                break
            default:
                let detail = zlib.stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                throw PGVError(.format, "invalid gz data: \(detail)")
            }
            let consumed = remaining.count - Int(zlib.stream.pointee.avail_in)
            remaining = UnsafeRawBufferPointer(rebasing: remaining.dropFirst(consumed))
            if !ended { break }
        }
    }

    public func finish(emit: ByteEmitter) throws {
        guard ended || !sawInput else { throw PGVError(.format, "unexpected end of gz stream") }
        guard sawInput else { throw PGVError(.format, "unexpected end of gz stream: no data") }
    }
}
