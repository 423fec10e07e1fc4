import Foundation
import Testing
@testable import VaultIO

struct AESCipherStageTests {
    @Test(arguments: [0, 1, 15, 16, 17, 1000, 65_539])
    func ciphertextSizeFollowsPKCS7(count: Int) throws {
        let encrypted = try StagePipeline.transform(SampleData.bytes(count),
                                                    through: [try AESCipherStage(mode: .encrypt, passphrase: "p")])
        #expect(encrypted.count == 16 + 16 * ((count + 1 + 15) / 16))
        #expect(Array(encrypted.prefix(8)) == Array("Salted__".utf8))
    }

    /// With the salt fixed, the output is byte for byte what `openssl enc -S` writes (OpenSSL 3 leaves the
    /// `Salted__` + salt header out when the salt is given on the command line, so it is prepended here).
    @Test func matchesOpenSSLByteForByteWithAFixedSalt() throws {
        try TemporaryDirectory.with { directory in
            let input = SampleData.bytes(10_000, seed: 4)
            let path = directory + "/plain", out = directory + "/enc"
            let writer = FileWriter(path: path)
            input.withUnsafeBytes { writer.write($0) }
            writer.close()
            let result = try Shell.run("openssl enc -aes-256-cbc -md sha1 -pass pass:secret -S 0102030405060708 -in '\(path)' -out '\(out)'")
            #expect(result.status == 0, "\(result.stderr)")
            let expected = Array("Salted__".utf8) + [1, 2, 3, 4, 5, 6, 7, 8]
                + (try [UInt8](Data(contentsOf: URL(fileURLWithPath: out))))
            let stage = try AESCipherStage(mode: .encrypt, passphrase: Array("secret".utf8), salt: [1, 2, 3, 4, 5, 6, 7, 8])
            #expect(try StagePipeline.transform(input, through: [stage]) == expected)
        }
    }
}
