@testable import VaultIO

/// One encoding of the interop and bad-input tables: how pgvault encodes and decodes it, and the CLI command lines
/// (stdin to stdout) that do the same.
struct Codec: Sendable, CustomStringConvertible {
    static let passphrase = "interop-pass"

    let description: String
    /// A size that is an exact multiple of the format's block size gets tested with `4 × blockSize` bytes.
    let blockSize: Int
    let encoders: @Sendable () throws -> [any ByteStage]
    let decoders: @Sendable () throws -> [any ByteStage]
    let cliEncode: String
    let cliDecode: String

    static let openSSL = "openssl enc -aes-256-cbc -md sha1 -pass pass:\(passphrase)"

    static let lz4 = Codec(description: "lz4", blockSize: 64 * 1024,
                           encoders: { [LZ4CompressStage(level: 1)] }, decoders: { [LZ4DecompressStage()] },
                           cliEncode: "lz4 -1 -c -q", cliDecode: "lz4 -d -c -q")
    static let zst = Codec(description: "zst", blockSize: 128 * 1024,
                           encoders: { [ZstdCompressStage(level: 3)] }, decoders: { [ZstdDecompressStage()] },
                           cliEncode: "zstd -3 -c -q", cliDecode: "zstd -d -c -q")
    static let gz = Codec(description: "gz", blockSize: 32 * 1024,
                          encoders: { [try GzipCompressStage(level: 6)] }, decoders: { [try GzipDecompressStage()] },
                          cliEncode: "gzip -6 -c", cliDecode: "gzip -d -c")
    static let bz2 = Codec(description: "bz2", blockSize: 900_000,
                           encoders: { [BZ2CompressStage(level: 9)] }, decoders: { [BZ2DecompressStage()] },
                           cliEncode: "bzip2 -9 -c", cliDecode: "bzip2 -d -c")
    static let aes = Codec(description: "aes-256-cbc", blockSize: 16,
                           encoders: { [try AESCipherStage(mode: .encrypt, passphrase: passphrase)] },
                           decoders: { [try AESCipherStage(mode: .decrypt, passphrase: passphrase)] },
                           cliEncode: openSSL, cliDecode: openSSL + " -d")

    static let compressions = [lz4, zst, gz, bz2]

    /// Compress, then encrypt, as pgBackRest stores a file in an encrypted repository.
    static func encrypted(_ codec: Codec) -> Codec {
        Codec(description: codec.description + "+aes-256-cbc", blockSize: codec.blockSize,
              encoders: { try codec.encoders() + aes.encoders() },
              decoders: { try aes.decoders() + codec.decoders() },
              cliEncode: codec.cliEncode + " | " + aes.cliEncode,
              cliDecode: aes.cliDecode + " | " + codec.cliDecode)
    }

    static let all = compressions + [aes] + compressions.map(encrypted)
}

/// The sizes every interop case runs on.
enum SampleSize: Sendable, CustomStringConvertible, CaseIterable {
    case empty, oneByte, blockMultiple, large200MiB

    var description: String {
        switch self {
        case .empty: "0 bytes"
        case .oneByte: "1 byte"
        case .blockMultiple: "4 blocks"
        case .large200MiB: "200 MiB"
        }
    }

    /// The sample file for `codec` at this size: small ones written into `directory`, the large one shared.
    func file(for codec: Codec, in directory: String) -> (path: String, sha1: String) {
        let count: Int
        switch self {
        case .empty: count = 0
        case .oneByte: count = 1
        case .blockMultiple: count = codec.blockSize * 4
        case .large200MiB: return (LargeSample.shared.path, LargeSample.shared.sha1)
        }
        let bytes = SampleData.bytes(count, seed: 7)
        let path = directory + "/sample"
        let writer = FileWriter(path: path)
        bytes.withUnsafeBytes { writer.write($0) }
        writer.close()
        return (path, Digest.sha1Hex(bytes))
    }
}
