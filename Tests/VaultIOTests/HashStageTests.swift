import Testing
@testable import VaultIO

struct HashStageTests {
    struct Vector: Sendable, CustomStringConvertible {
        let description: String
        let input: [UInt8]
        let sha1: String
        let sha256: String
    }

    static let vectors = [
        Vector(description: "empty", input: [],
               sha1: "da39a3ee5e6b4b0d3255bfef95601890afd80709",
               sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        Vector(description: "abc", input: Array("abc".utf8),
               sha1: "a9993e364706816aba3e25717850c26c9cd0d89d",
               sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        Vector(description: "a million a", input: [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000),
               sha1: "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
               sha256: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ]

    @Test(arguments: vectors)
    func knownAnswers(vector: Vector) throws {
        let sha1 = HashStage(.sha1), sha256 = HashStage(.sha256)
        let output = try StagePipeline.transform(vector.input, through: [sha1, sha256])
        #expect(output == vector.input, "bytes pass through unchanged")
        #expect(sha1.hexDigest == vector.sha1)
        #expect(sha256.hexDigest == vector.sha256)
        #expect(sha1.digest.count == 20 && sha256.digest.count == 32)
        #expect(Digest.sha1Hex(vector.input) == vector.sha1)
    }

    @Test(arguments: [1, 7, 64, 4096, 1_000_000])
    func chunkingDoesNotChangeTheDigest(chunk: Int) throws {
        let input = SampleData.bytes(300_000, seed: 3)
        let stage = HashStage(.sha256)
        var passed: [UInt8] = []
        for start in stride(from: 0, to: input.count, by: chunk) {
            try input[start..<min(start + chunk, input.count)].withUnsafeBytes { bytes in
                try stage.process(bytes) { passed.append(contentsOf: $0) }
            }
        }
        try stage.finish { _ in Issue.record("a hash emits nothing at finish") }
        #expect(passed == input)
        #expect(stage.hexDigest == Digest.sha256Hex(input))
    }
}
