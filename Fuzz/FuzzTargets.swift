import VaultConfig
import VaultCore
import VaultIO
import VaultRepository

/// The parsers and decoders a hostile repository or command line reaches, each as a function of raw bytes. An input
/// must return or throw `PGVError`; anything else (a trap, another error) is a defect.
enum FuzzTargets {
    static let passphrase = "fuzz-pass"

    static let all: [String: @Sendable ([UInt8]) throws -> Void] = [
        "info-ini": { _ = try InfoIni.parse($0) },
        "json": { _ = try JsonParser.parse($0) },
        "manifest": { _ = try Manifest.parse($0) },
        "archive-info": { _ = try ArchiveInfo.parse($0) },
        "backup-info": { _ = try BackupInfo.parse($0) },
        // The same behind a correct checksum, so coverage reaches the model loaders (a SHA-1 cannot be guessed).
        "manifest-resigned": { _ = try Manifest.parse(try resigned($0)) },
        "archive-info-resigned": { _ = try ArchiveInfo.parse(try resigned($0)) },
        "backup-info-resigned": { _ = try BackupInfo.parse(try resigned($0)) },
        "config-ini": { _ = try IniParser.parse(String(decoding: $0, as: UTF8.self)) },
        // argv: NUL-separated words.
        "command-line": { bytes in
            let words = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            _ = try CommandLineParser().parse(words)
        },
        "lz4": { try decode($0, [LZ4DecompressStage()]) },
        "zst": { try decode($0, [ZstdDecompressStage()]) },
        "gz": { try decode($0, [try GzipDecompressStage()]) },
        "bz2": { try decode($0, [BZ2DecompressStage()]) },
        "aes": { try decode($0, [try AESCipherStage(mode: .decrypt, passphrase: passphrase)]) },
        "pipeline": { try decode($0, [try AESCipherStage(mode: .decrypt, passphrase: passphrase), ZstdDecompressStage(),
                                      HashStage(.sha1), SizeStage()]) },
    ]

    private struct OutputLimit: Error {}

    /// `bytes` with its `backrest-checksum` lines replaced by the checksum `InfoIni.parse` computed (it names the
    /// actual value in its ChecksumError).
    static func resigned(_ bytes: [UInt8]) throws -> [UInt8] {
        do {
            _ = try InfoIni.parse(bytes)
            return bytes
        } catch let error as PGVError where error.code == .checksum {
            guard let start = error.message.firstRange(of: "actual '")?.upperBound,
                  let end = error.message[start...].firstIndex(of: "'") else { throw error }
            let lines = bytes.split(separator: 0x0a, omittingEmptySubsequences: false)
                .filter { !$0.starts(with: Array("backrest-checksum=".utf8)) }
            return Array(lines.joined(separator: [0x0a])) + Array("\n[backrest]\nbackrest-checksum=\"\(error.message[start..<end])\"\n".utf8)
        }
    }

    /// Streams `bytes` through `stages` in 4 KiB chunks, discarding the output; stops quietly past 64 MiB of
    /// output (a valid bomb is not a defect).
    static func decode(_ bytes: [UInt8], _ stages: [any ByteStage]) throws {
        let pipeline = StagePipeline(stages)
        var produced = 0
        let sink: ByteEmitter = { chunk in
            produced += chunk.count
            if produced > 64 << 20 { throw OutputLimit() }
        }
        do {
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + 4096)
                try pipeline.process(Array(bytes[offset..<end]), sink: sink)
                offset = end
            }
            try pipeline.finish(sink: sink)
        } catch is OutputLimit {
        }
    }

    /// Runs `target` on `bytes`: true when it returned or threw `PGVError`.
    static func accepts(_ target: ([UInt8]) throws -> Void, _ bytes: [UInt8]) -> Bool {
        do {
            try target(bytes)
            return true
        } catch is PGVError {
            return true
        } catch {
            return false
        }
    }
}
