import Testing
import VaultIO
@testable import VaultPostgres

struct PageChecksumStageTests {
    /// A non-empty page for `block` carrying its correct checksum (the algorithm itself is checked against real
    /// PostgreSQL pages in PageChecksumTests).
    static func page(block: UInt32, lsn: UInt64 = 0x100, seed: UInt8 = 7) -> [UInt8] {
        var page = [UInt8](repeating: 0, count: PageChecksum.pageSize)
        withUnsafeBytes(of: UInt32(lsn >> 32).littleEndian) { page.replaceSubrange(0..<4, with: $0) }
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: lsn).littleEndian) { page.replaceSubrange(4..<8, with: $0) }
        for index in 24..<PageChecksum.pageSize { page[index] = UInt8(truncatingIfNeeded: index &* Int(seed)) }
        let checksum = page.withUnsafeBytes { PageChecksum.compute(page: $0, blockNumber: block) }
        withUnsafeBytes(of: checksum.littleEndian) { page.replaceSubrange(8..<10, with: $0) }
        return page
    }

    static func run(_ bytes: [UInt8], segment: UInt32, chunk: Int, lsnLimit: Lsn? = nil) throws -> (PageChecksumResult?, [UInt8]) {
        let stage = PageChecksumStage(segmentNumber: segment, lsnLimit: lsnLimit)
        var output: [UInt8] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + chunk, bytes.count)
            try bytes[offset..<end].withUnsafeBytes { try stage.process($0) { output.append(contentsOf: $0) } }
            offset = end
        }
        try stage.finish { output.append(contentsOf: $0) }
        return (stage.result, output)
    }

    @Test(arguments: [1, 1000, 8192, 8193, 65536])
    func passesBytesThroughAndFindsTheBadBlock(chunk: Int) throws {
        // Segment 1 of a relation: pages 0..3 are blocks 131072..131075; page 2 is corrupted.
        var file: [UInt8] = []
        for index in 0..<4 { file += Self.page(block: 131_072 + UInt32(index)) }
        file += [UInt8](repeating: 0, count: PageChecksum.pageSize)
        file[2 * PageChecksum.pageSize + 4000] ^= 0x01
        let (result, output) = try Self.run(file, segment: 1, chunk: chunk)
        #expect(output == file)
        #expect(result == PageChecksumResult(failingBlocks: [131_074], aligned: true))
    }

    @Test func pagesAtOrPastTheLsnLimitAreSkipped() throws {
        var bad = Self.page(block: 0, lsn: 0x500_0000)
        bad[5000] ^= 0xFF
        let (skipped, _) = try Self.run(bad, segment: 0, chunk: 8192, lsnLimit: Lsn(0x500_0000))
        #expect(skipped?.valid == true)
        let (checked, _) = try Self.run(bad, segment: 0, chunk: 8192, lsnLimit: Lsn(0x500_0001))
        #expect(checked?.failingBlocks == [0])
        let (noLimit, _) = try Self.run(bad, segment: 0, chunk: 8192)
        #expect(noLimit?.failingBlocks == [0])
    }

    @Test func trailingPartialPageMarksTheFileMisaligned() throws {
        let file = Self.page(block: 0) + [UInt8](repeating: 1, count: 100)
        let (result, output) = try Self.run(file, segment: 0, chunk: 4096)
        #expect(output == file)
        #expect(result == PageChecksumResult(failingBlocks: [], aligned: false))
        #expect(result?.valid == false)
    }

    @Test func emptyFileIsValid() throws {
        let (result, _) = try Self.run([], segment: 0, chunk: 1)
        #expect(result?.valid == true)
    }
}
