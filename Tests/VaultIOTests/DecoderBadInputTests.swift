import Testing
import VaultCore
@testable import VaultIO

/// Every decoding stage fed damaged input fails with a specific `PGVError` code, never a crash, a hang or silent
/// garbage, except where the format itself cannot notice (stated per row).
struct DecoderBadInputTests {
    enum Damage: Sendable {
        case truncated(dropping: Int)
        case truncatedToHalf
        case flipped(fromEnd: Int)
        case flippedInMiddle
        case trailingGarbage
        case garbageOnly
        case empty
        case wrongPassphrase
        case shortHeader
    }

    enum Outcome: Sendable {
        /// Must fail with this code, the message naming the format.
        case fails(ErrorCode, naming: String)
        /// The format has no integrity check over this spot: either it fails with this code, or it decodes to
        /// different bytes, which the content SHA-1 checked above the stage catches.
        case failsOrDiffers(ErrorCode)
    }

    struct Row: Sendable, CustomStringConvertible {
        let codec: Codec
        let damage: Damage
        let outcome: Outcome
        var description: String { "\(codec) \(damage)" }
    }

    static let fixedSalt: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
    /// Encrypted with a fixed salt so that the wrong-passphrase row is deterministic (a random salt makes a wrong
    /// passphrase pass the padding check about once in 256 runs).
    static let aes = Codec(description: "aes-256-cbc", blockSize: 16,
                           encoders: { [try AESCipherStage(mode: .encrypt, passphrase: Array(Codec.passphrase.utf8), salt: fixedSalt)] },
                           decoders: Codec.aes.decoders, cliEncode: "", cliDecode: "")

    static let rows: [Row] = {
        var rows: [Row] = []
        let format = ErrorCode.format
        // lz4 frames carry a content checksum (enabled by pgvault, pgBackRest and the CLI): every flip is caught.
        // gz carries CRC-32 + size, bz2 a CRC per block and per stream: every flip is caught.
        for (codec, name) in [(Codec.lz4, "lz4"), (Codec.gz, "gz"), (Codec.bz2, "bz2")] {
            rows += [
                Row(codec: codec, damage: .truncated(dropping: 1), outcome: .fails(format, naming: name)),
                Row(codec: codec, damage: .truncatedToHalf, outcome: .fails(format, naming: name)),
                Row(codec: codec, damage: .flippedInMiddle, outcome: .fails(format, naming: name)),
                Row(codec: codec, damage: .flipped(fromEnd: 2), outcome: .fails(format, naming: name)),
                Row(codec: codec, damage: .trailingGarbage, outcome: .fails(format, naming: name)),
                Row(codec: codec, damage: .garbageOnly, outcome: .fails(format, naming: name)),
                Row(codec: codec, damage: .empty, outcome: .fails(format, naming: name)),
            ]
        }
        // zstd as pgBackRest writes it has no content checksum: a flip inside a block may decode to other bytes.
        // Truncation, a damaged header or trailing garbage are always caught.
        rows += [
            Row(codec: .zst, damage: .truncated(dropping: 1), outcome: .fails(format, naming: "zst")),
            Row(codec: .zst, damage: .truncatedToHalf, outcome: .fails(format, naming: "zst")),
            Row(codec: .zst, damage: .flippedInMiddle, outcome: .failsOrDiffers(format)),
            Row(codec: .zst, damage: .trailingGarbage, outcome: .fails(format, naming: "zst")),
            Row(codec: .zst, damage: .garbageOnly, outcome: .fails(format, naming: "zst")),
            Row(codec: .zst, damage: .empty, outcome: .fails(format, naming: "zst")),
        ]
        // AES-256-CBC has no MAC: only the padding of the last block is checked. Truncation to a non-block length, a
        // bad or short header, a wrong passphrase and damage to the last block fail; a flip earlier decrypts to
        // garbage in two blocks, caught by the content SHA-1 above the stage.
        let crypto = ErrorCode.crypto
        rows += [
            Row(codec: aes, damage: .truncated(dropping: 1), outcome: .fails(crypto, naming: "cipher")),
            Row(codec: aes, damage: .truncated(dropping: 7), outcome: .fails(crypto, naming: "cipher")),
            Row(codec: aes, damage: .flipped(fromEnd: 17), outcome: .fails(crypto, naming: "cipher")),
            Row(codec: aes, damage: .flippedInMiddle, outcome: .failsOrDiffers(crypto)),
            Row(codec: aes, damage: .trailingGarbage, outcome: .fails(crypto, naming: "cipher")),
            Row(codec: aes, damage: .garbageOnly, outcome: .fails(crypto, naming: "cipher header")),
            Row(codec: aes, damage: .empty, outcome: .fails(crypto, naming: "cipher header")),
            Row(codec: aes, damage: .shortHeader, outcome: .fails(crypto, naming: "cipher header")),
            Row(codec: aes, damage: .wrongPassphrase, outcome: .fails(crypto, naming: "cipher")),
        ]
        return rows
    }()

    @Test(arguments: rows)
    func damagedInputFailsCleanly(row: Row) throws {
        let original = SampleData.bytes(200_000, seed: 11)
        let encoded = try StagePipeline.transform(original, through: row.codec.encoders())
        var damaged = encoded
        var decoders = try row.codec.decoders()
        switch row.damage {
        case .truncated(let count): damaged.removeLast(count)
        case .truncatedToHalf: damaged.removeLast(damaged.count / 2)
        case .flipped(let fromEnd): damaged[damaged.count - fromEnd] ^= 0xff
        case .flippedInMiddle: damaged[damaged.count / 2] ^= 0xff
        case .trailingGarbage: damaged += Array("garbage".utf8)
        case .garbageOnly: damaged = Array("this is not an encoded stream at all, just text".utf8)
        case .empty: damaged = []
        case .wrongPassphrase: decoders = [try AESCipherStage(mode: .decrypt, passphrase: "wrong-pass")]
        case .shortHeader: damaged = Array(encoded.prefix(10))
        }
        var output: [UInt8] = []
        let error = PGVError.caught { output = try StagePipeline.transform(damaged, through: decoders) }
        switch row.outcome {
        case .fails(let code, let name):
            let error = try #require(error)
            #expect(error.code == code, "\(error)")
            #expect(error.message.contains(name), "\(error)")
            #expect(error.message == error.message.lowercased())
        case .failsOrDiffers(let code):
            if let error { #expect(error.code == code, "\(error)") } else { #expect(output != original) }
        }
    }

    /// A flip deep inside a multi-block stream is reported, not skipped.
    @Test(arguments: [Codec.lz4, Codec.gz, Codec.bz2])
    func corruptionDeepInsideAStreamIsReported(codec: Codec) throws {
        let original = SampleData.bytes(3_000_000, seed: 12)
        var encoded = try StagePipeline.transform(original, through: codec.encoders())
        encoded[encoded.count * 3 / 4] ^= 0x10
        let error = PGVError.caught { _ = try StagePipeline.transform(encoded, through: codec.decoders()) }
        #expect(error?.code == .format)
    }
}
