import Foundation
import VaultIO

// stage-bench DATA_FILE [WORK_DIR]: MB/s (of uncompressed bytes) for each stage alone and for the backup chain,
// reading DATA_FILE from the page cache in 1 MiB chunks through one reused buffer, output discarded.

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: stage-bench DATA_FILE [WORK_DIR]\n".utf8))
    exit(2)
}
let dataPath = arguments[1]
let workDirectory = arguments.count > 2 ? arguments[2] : NSTemporaryDirectory()
let chunkSize = 1024 * 1024

func stream(_ path: String, through stages: [any ByteStage], into outputPath: String? = nil) throws -> Int {
    let input = open(path, O_RDONLY)
    precondition(input >= 0, "open \(path)")
    defer { close(input) }
    let output = outputPath.map { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o600) } ?? -1
    defer { if output >= 0 { close(output) } }
    let sink: ByteEmitter = { bytes in
        if output >= 0 { precondition(write(output, bytes.baseAddress, bytes.count) == bytes.count, "write") }
    }
    let pipeline = StagePipeline(stages)
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
    defer { buffer.deallocate() }
    var total = 0
    while true {
        let count = read(input, buffer.baseAddress, chunkSize)
        precondition(count >= 0, "read")
        if count == 0 { break }
        total += count
        try pipeline.process(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), sink: sink)
    }
    try pipeline.finish(sink: sink)
    return total
}

let dataSize = Double((try FileManager.default.attributesOfItem(atPath: dataPath)[.size] as? NSNumber)?.intValue ?? 0)

func measure(_ name: String, _ input: String, _ stages: [any ByteStage], into output: String? = nil) throws {
    let start = DispatchTime.now().uptimeNanoseconds
    _ = try stream(input, through: stages, into: output)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let mbs = dataSize / 1e6 / seconds
    let label = name.padding(toLength: 34, withPad: " ", startingAt: 0)
    print(label + String(format: " %8.0f MB/s  (%.2f s)", mbs, seconds))
}

let lz4File = workDirectory + "/bench.lz4", zstFile = workDirectory + "/bench.zst"
let gzFile = workDirectory + "/bench.gz", aesFile = workDirectory + "/bench.aes"
defer { for file in [lz4File, zstFile, gzFile, aesFile] { try? FileManager.default.removeItem(atPath: file) } }

do {
    _ = try stream(dataPath, through: [])   // warm the page cache
    try measure("read only", dataPath, [])
    try measure("sha1", dataPath, [HashStage(.sha1)])
    try measure("sha256", dataPath, [HashStage(.sha256)])
    try measure("size", dataPath, [SizeStage()])
    try measure("lz4 -1 compress", dataPath, [LZ4CompressStage(level: 1)])
    _ = try stream(dataPath, through: [LZ4CompressStage(level: 1)], into: lz4File)
    try measure("lz4 decompress", lz4File, [LZ4DecompressStage()])
    try measure("zstd -3 compress", dataPath, [ZstdCompressStage(level: 3)])
    _ = try stream(dataPath, through: [ZstdCompressStage(level: 3)], into: zstFile)
    try measure("zstd decompress", zstFile, [ZstdDecompressStage()])
    try measure("gzip -6 compress", dataPath, [try GzipCompressStage(level: 6)])
    _ = try stream(dataPath, through: [try GzipCompressStage(level: 6)], into: gzFile)
    try measure("gzip decompress", gzFile, [try GzipDecompressStage()])
    try measure("aes-256-cbc encrypt", dataPath, [try AESCipherStage(mode: .encrypt, passphrase: "bench")])
    _ = try stream(dataPath, through: [try AESCipherStage(mode: .encrypt, passphrase: "bench")], into: aesFile)
    try measure("aes-256-cbc decrypt", aesFile, [try AESCipherStage(mode: .decrypt, passphrase: "bench")])
    try measure("chain sha1>lz4>aes>sha1", dataPath, [
        HashStage(.sha1), LZ4CompressStage(level: 1), try AESCipherStage(mode: .encrypt, passphrase: "bench"), HashStage(.sha1),
    ])
    if ProcessInfo.processInfo.environment["BENCH_BZ2"] != nil {
        try measure("bzip2 -9 compress", dataPath, [BZ2CompressStage(level: 9)])
    }
    for file in [lz4File, zstFile, gzFile] {
        let size = Double((try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0)
        let label = "ratio " + (file as NSString).lastPathComponent
        print(label.padding(toLength: 34, withPad: " ", startingAt: 0) + String(format: " %8.3f", size / dataSize))
    }
} catch {
    print("error: \(error)")
    exit(1)
}
