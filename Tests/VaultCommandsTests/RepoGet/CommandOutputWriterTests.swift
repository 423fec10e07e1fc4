import Foundation
import Testing
import VaultIO
import VaultObservability
import VaultStorage
@testable import VaultCommands

@Suite struct CommandOutputWriterTests {
    @Test func aCopyThroughDecompressionLandsInTheOutputFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("repo-get-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let plain = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 / 7) }
        let storage = MemoryStorage()
        try await storage.put("f.lz4", try StagePipeline.transform(plain, through: [LZ4CompressStage()]))
        let output = CommandOutput(sink: try LogSink.appending(to: path), isTerminal: false)
        try await StorageCopy.copy(from: try await storage.openRead("f.lz4", offset: 0, length: nil),
                                   through: [LZ4DecompressStage()], to: CommandOutputWriter(output), chunkSize: 4096)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == plain)
    }
}
