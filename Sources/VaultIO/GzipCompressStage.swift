import CZlib
import VaultCore

/// gzip compression (deflate with a gzip header: windowBits 15+16, memLevel 9), as `gzip` and pgBackRest write it.
public final class GzipCompressStage: ByteStage {
    private let zlib = ZlibStream()

    public init(level: Int = 6) throws {
        let status = czlib_deflateInit2(zlib.stream, Int32(level), 15 + 16)
        guard status == Z_OK else { throw PGVError(.format, "unable to initialize gz compression (zlib error \(status))") }
    }

    deinit { deflateEnd(zlib.stream) }

    public func process(_ input: UnsafeRawBufferPointer, emit: ByteEmitter) throws {
        guard input.count > 0 else { return }
        let status = try zlib.run(input, flush: Z_NO_FLUSH, emit: emit, step: { deflate($0, $1) })
        guard status == Z_OK || status == Z_BUF_ERROR else { throw PGVError(.format, "gz compression failed (zlib error \(status))") }
    }

    public func finish(emit: ByteEmitter) throws {
        let status = try zlib.run(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH, emit: emit,
                                  step: { deflate($0, $1) })
        guard status == Z_STREAM_END else { throw PGVError(.format, "gz compression failed to finish (zlib error \(status))") }
    }
}
