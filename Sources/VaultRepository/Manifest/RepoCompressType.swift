/// The compression of a backup set or archived WAL as named in manifests (`option-compress-type`) and the file
/// extension it gives every repository file (reference §4).
public enum RepoCompressType: String, Sendable, CaseIterable {
    case none, gz, lz4, zst, bz2

    /// `.gz`, `.lz4`, `.zst`, `.bz2`, or empty for `none`.
    public var fileExtension: String { self == .none ? "" : "." + rawValue }

    /// The type whose extension ends `name`, `none` when no known extension does.
    public static func fromFileName(_ name: String) -> RepoCompressType {
        allCases.first { $0 != .none && name.hasSuffix($0.fileExtension) } ?? .none
    }
}
