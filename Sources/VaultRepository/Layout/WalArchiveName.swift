import VaultIO
/// A WAL file name as stored in the archive (reference §1): `<24 hex segment>[.partial]-<40 hex sha1>[.gz|.lz4|.zst|.bz2]`.
///
/// pgBackRest lists with `^[0-F]{24}(\.partial)?-[0-f]{40}(\.(gz|lz4|zst|bz2))?$`; its character ranges also admit
/// some punctuation, which never occurs in real names. This parser accepts hex only: upper-case for the segment
/// (as PostgreSQL names them) and lower-case for the SHA-1 (as written).
public struct WalArchiveName: Sendable, Equatable {
    /// The 24-character segment name.
    public var segment: String
    public var partial: Bool
    /// SHA-1 of the uncompressed, unencrypted segment.
    public var sha1: String
    public var compressType: CompressionType

    public init(segment: String, partial: Bool = false, sha1: String, compressType: CompressionType) {
        self.segment = segment
        self.partial = partial
        self.sha1 = sha1
        self.compressType = compressType
    }

    /// Parses a listed name; nil when it is not an archived segment.
    public init?(parsing name: String) {
        var bytes = Array(name.utf8)[...]
        guard bytes.count >= 65, bytes.prefix(24).allSatisfy(WalArchiveName.isUpperHex) else { return nil }
        segment = String(decoding: bytes.prefix(24), as: UTF8.self)
        bytes = bytes.dropFirst(24)
        let partialText = Array(".partial".utf8)
        partial = bytes.starts(with: partialText)
        if partial { bytes = bytes.dropFirst(partialText.count) }
        guard bytes.first == UInt8(ascii: "-") else { return nil }
        bytes = bytes.dropFirst()
        guard bytes.count >= 40, bytes.prefix(40).allSatisfy(WalArchiveName.isLowerHex) else { return nil }
        sha1 = String(decoding: bytes.prefix(40), as: UTF8.self)
        let rest = String(decoding: bytes.dropFirst(40), as: UTF8.self)
        if rest.isEmpty {
            compressType = .none
        } else if let type = CompressionType.allCases.first(where: { $0 != .none && $0.fileExtension == rest }) {
            compressType = type
        } else {
            return nil
        }
    }

    /// The stored file name.
    public var fileName: String {
        segment + (partial ? ".partial" : "") + "-" + sha1 + compressType.fileExtension
    }

    /// True for `^[0-9A-F]{24}(\.partial)?$`, the names archive-push stores with a checksum suffix.
    public static func isSegment(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count == 24 || (bytes.count == 32 && name.hasSuffix(".partial")) else { return false }
        return bytes.prefix(24).allSatisfy(isUpperHex)
    }

    /// True when `name` starts with 24 upper-case hex characters (it lives in the 16-character subdirectory).
    public static func startsWithSegment(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return bytes.count >= 24 && bytes.prefix(24).allSatisfy(isUpperHex)
    }

    static func isUpperHex(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) }
    static func isLowerHex(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte) }
}
