import Testing
import VaultCore
@testable import VaultIO

/// AES-256-CBC decryption (openssl `Salted__` framing) on mutated ciphertext in random chunk sizes: decrypts or
/// throws `PGVError` (bad header, bad padding, truncated block).
struct FuzzAESCipherStageTests {
    @Test func fuzzAESDecrypt() throws {
        let seeds = try FuzzStageFeeder.plains.map { try FuzzStageFeeder.encoded($0, Codec.aes.encoders()) }
        let run = FuzzLoop.run("decrypt aes-256-cbc", generate: { FuzzStageFeeder.input(seeds, &$0) }) { input in
            try FuzzStageFeeder.feed(input, through: try Codec.aes.decoders())
        }
        #expect(run.passed == run.iterations)
    }
}
