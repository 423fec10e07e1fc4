import Testing
@testable import VaultIO

struct CompressionTypeTests {
    @Test func optionValuesExtensionsAndLevelsMatchPgBackRest() {
        #expect(CompressionType.allCases.map(\.rawValue) == ["none", "gz", "lz4", "zst", "bz2"])
        #expect(CompressionType.allCases.map(\.fileExtension) == ["", ".gz", ".lz4", ".zst", ".bz2"])
        #expect([CompressionType.gz, .lz4, .zst, .bz2].map(\.defaultLevel) == [6, 1, 3, 9])
        #expect(CompressionType.gz.levelRange == -1...9)
        #expect(CompressionType.lz4.levelRange == -5...12)
        #expect(CompressionType.zst.levelRange == -7...22)
        #expect(CompressionType.bz2.levelRange == 1...9)
    }

    @Test(arguments: [
        ("000000010000000000000001-0123456789abcdef0123456789abcdef01234567.lz4", CompressionType.lz4),
        ("pg_data/base/1/1249.gz", .gz), ("base/1/1249.zst", .zst), ("x.bz2", .bz2),
        ("backup.manifest", .none), ("archive.info", .none), ("noextension", .none), ("file.gz.tmp", .none),
    ])
    func typeFromFileName(name: String, type: CompressionType) {
        #expect(CompressionType.from(fileName: name) == type)
    }

    @Test func typeFromExtension() {
        #expect(CompressionType(fileExtension: ".lz4") == .lz4)
        #expect(CompressionType(fileExtension: "zst") == .zst)
        #expect(CompressionType(fileExtension: "") == nil)
        #expect(CompressionType(fileExtension: ".none") == nil)
        #expect(CompressionType(fileExtension: ".xz") == nil)
    }

    @Test func noneHasNoStages() throws {
        #expect(try CompressionType.none.compressStage() == nil)
        #expect(try CompressionType.none.decompressStage() == nil)
    }
}
