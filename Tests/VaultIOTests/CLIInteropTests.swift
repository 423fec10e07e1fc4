import Testing
@testable import VaultIO

/// Bytes written by pgvault's stages are read by the standard CLI tools and the reverse, for every compression,
/// AES-256-CBC (`openssl enc -md sha1`) and compress-then-encrypt chains, on 0 bytes, 1 byte, an exact multiple of
/// the block size and a 200 MiB file streamed in 1 MiB chunks. Contents are compared by SHA-1.
/// Serialized: the 200 MiB cases are CPU-heavy and the machine is shared.
@Suite(.serialized) struct CLIInteropTests {
    @Test("pgvault encodes, the CLI decodes", arguments: Codec.all, SampleSize.allCases)
    func pgvaultToCLI(codec: Codec, size: SampleSize) throws {
        try TemporaryDirectory.with { directory in
            let sample = size.file(for: codec, in: directory)
            let encoded = directory + "/encoded", decoded = directory + "/decoded"
            try StageStreaming.run(file: sample.path, through: codec.encoders(), into: encoded)
            let result = try Shell.run("(\(codec.cliDecode)) < '\(encoded)' > '\(decoded)'")
            #expect(result.status == 0, "\(codec.cliDecode): \(result.stderr)")
            #expect(try StageStreaming.sha1(file: decoded) == sample.sha1)
        }
    }

    @Test("the CLI encodes, pgvault decodes", arguments: Codec.all, SampleSize.allCases)
    func cliToPgvault(codec: Codec, size: SampleSize) throws {
        try TemporaryDirectory.with { directory in
            let sample = size.file(for: codec, in: directory)
            let encoded = directory + "/encoded"
            let result = try Shell.run("(\(codec.cliEncode)) < '\(sample.path)' > '\(encoded)'")
            #expect(result.status == 0, "\(codec.cliEncode): \(result.stderr)")
            let hash = HashStage(.sha1)
            try StageStreaming.run(file: encoded, through: codec.decoders() + [hash]) { _ in }
            #expect(hash.hexDigest == sample.sha1)
        }
    }
}
