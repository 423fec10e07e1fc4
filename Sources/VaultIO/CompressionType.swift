/// pgBackRest's `compress-type` values, their repository file extensions, levels and stages.
public enum CompressionType: String, CaseIterable, Sendable {
    case none, gz, lz4, zst, bz2

    /// The extension pgBackRest appends to compressed repository files (`""` for none).
    public var fileExtension: String {
        self == .none ? "" : "." + rawValue
    }

    /// pgBackRest's default `compress-level` for this type (0 for none).
    public var defaultLevel: Int {
        switch self {
        case .none: 0
        case .gz: 6
        case .lz4: LZ4CompressStage.defaultLevel
        case .zst: ZstdCompressStage.defaultLevel
        case .bz2: BZ2CompressStage.defaultLevel
        }
    }

    /// The `compress-level` values pgBackRest accepts for this type.
    public var levelRange: ClosedRange<Int> {
        switch self {
        case .none: 0...0
        case .gz: -1...9
        case .lz4: LZ4CompressStage.levelRange
        case .zst: ZstdCompressStage.levelRange
        case .bz2: BZ2CompressStage.levelRange
        }
    }

    /// The type whose extension is `fileExtension` (`.gz` or `gz`); nil for an extension that is not a compression.
    public init?(fileExtension: String) {
        let bare = fileExtension.hasPrefix(".") ? String(fileExtension.dropFirst()) : fileExtension
        guard !bare.isEmpty, let type = CompressionType(rawValue: bare), type != .none else { return nil }
        self = type
    }

    /// The compression a repository file name carries by its extension (`000000010000000000000001-abc.lz4` → lz4),
    /// `.none` when it ends in none of them.
    public static func from(fileName: String) -> CompressionType {
        guard let dot = fileName.lastIndex(of: ".") else { return .none }
        return CompressionType(fileExtension: String(fileName[dot...])) ?? .none
    }

    /// A new compressing stage at `level` (the type's default when nil); nil for `.none`. Throws `.format` when the
    /// library refuses the level (gz outside -1...9); lz4, zst and bz2 clamp to their range.
    public func compressStage(level: Int? = nil) throws -> (any ByteStage)? {
        let level = level ?? defaultLevel
        switch self {
        case .none: return nil
        case .gz: return try GzipCompressStage(level: level)
        case .lz4: return LZ4CompressStage(level: level)
        case .zst: return ZstdCompressStage(level: level)
        case .bz2: return BZ2CompressStage(level: level)
        }
    }

    /// A new decompressing stage; nil for `.none`. `verifyingFrameChecksums: false` is for callers that check the
    /// output's SHA-1 themselves: lz4 then skips its frame's XXH32 (`LZ4DecompressStage`); gz, bz2 and zst keep their
    /// built-in checks, which cost little or are absent from pgBackRest's frames.
    public func decompressStage(verifyingFrameChecksums: Bool = true) throws -> (any ByteStage)? {
        switch self {
        case .none: return nil
        case .gz: return try GzipDecompressStage()
        case .lz4: return LZ4DecompressStage(verifyingFrameChecksums: verifyingFrameChecksums)
        case .zst: return ZstdDecompressStage()
        case .bz2: return BZ2DecompressStage()
        }
    }
}
