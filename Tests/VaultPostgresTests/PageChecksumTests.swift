import Foundation
import Testing
@testable import VaultPostgres

/// The checksum algorithm against the pages of a real `initdb -k` cluster, which PostgreSQL checksummed itself.
@Suite(.throwawayCluster(started: false))
struct PageChecksumTests {
    /// Every file of `base/1` (template1) and `global` that gets page-checksum validation.
    static func relationFiles(_ cluster: ThrowawayCluster) throws -> [String] {
        let exclusions = PgDataExclusions(version: try PgVersionTable.version(major: 15), online: false)
        var files: [String] = []
        for directory in ["base/1", "global"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: cluster.dataDirectory + "/" + directory) {
                let path = directory + "/" + name
                if exclusions.checksPageChecksums(path) { files.append(path) }
            }
        }
        return files.sorted()
    }

    static func read(_ cluster: ThrowawayCluster, _ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: cluster.dataDirectory + "/" + path)))
    }

    @Test func everyPageOfARealClusterValidates() throws {
        let cluster = try ThrowawayCluster.required()
        let files = try Self.relationFiles(cluster)
        #expect(files.count > 100)
        var pages = 0
        for path in files {
            let bytes = try Self.read(cluster, path)
            #expect(bytes.count % PageChecksum.pageSize == 0, "\(path)")
            #expect(PageChecksum.failingBlocks(in: bytes, segmentNumber: 0).isEmpty, "\(path)")
            pages += bytes.count / PageChecksum.pageSize
        }
        #expect(pages > 500)
    }

    @Test func computedChecksumEqualsStoredOnRealPages() throws {
        let cluster = try ThrowawayCluster.required()
        let bytes = try Self.read(cluster, "base/1/1259") // pg_class
        let pages = bytes.count / PageChecksum.pageSize
        #expect(pages >= 2)
        bytes.withUnsafeBytes { raw in
            for index in 0..<pages {
                let page = UnsafeRawBufferPointer(rebasing: raw[index * 8192..<(index + 1) * 8192])
                #expect(!PageChecksum.isZero(page: page))
                #expect(PageChecksum.compute(page: page, blockNumber: UInt32(index)) == PageChecksum.stored(page: page))
                // The block number is mixed in: the same page at another block fails.
                #expect(!PageChecksum.isValid(page: page, blockNumber: UInt32(index) + 1))
            }
        }
    }

    @Test func flippedByteFailsWithTheAbsoluteBlockNumber() throws {
        let cluster = try ThrowawayCluster.required()
        var bytes = try Self.read(cluster, "base/1/1259")
        let pages = bytes.count / PageChecksum.pageSize
        let target = pages - 1
        bytes[target * PageChecksum.pageSize + 6000] ^= 0x20
        #expect(PageChecksum.failingBlocks(in: bytes, segmentNumber: 0) == [UInt32(target)])

        // Read as segment 2 of a relation, every page's block number is 262144 + index, so all pages fail.
        let original = try Self.read(cluster, "base/1/1259")
        #expect(PageChecksum.failingBlocks(in: original, segmentNumber: 2) == (0..<pages).map { 262_144 + UInt32($0) })
    }

    @Test func zeroPageIsValidAndBlockNumbersAreAbsolute() {
        let zero = [UInt8](repeating: 0, count: PageChecksum.pageSize)
        #expect(zero.withUnsafeBytes { PageChecksum.isValid(page: $0, blockNumber: 12345) })
        #expect(PageChecksum.blockNumber(segmentNumber: 3, pageIndex: 7) == 393_223)
        #expect(PageChecksum.segmentNumber(fileName: "16384") == 0)
        #expect(PageChecksum.segmentNumber(fileName: "16384.3") == 3)
        #expect(PageChecksum.segmentNumber(fileName: "16384_fsm.1") == 1)
    }
}
