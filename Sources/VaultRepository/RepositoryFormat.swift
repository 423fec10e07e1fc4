/// Constants of the pgBackRest 2.45 repository format that pgvault writes. Kept in one place so that a format
/// decision (for example the writer version recorded in info files) is changed once.
public enum RepositoryFormat {
    /// `backrest-format` of info files and manifests; loading anything else fails with `.format` (029).
    public static let format: Int64 = 5

    /// `backrest-version` written into info files, manifests and backup.info entries. pgBackRest ignores it on
    /// load except when resuming a backup, which it refuses across versions; writing "2.45" lets pgBackRest resume
    /// our interrupted backups and makes byte-identical golden tests possible.
    public static let backrestVersion = "2.45"

    /// SHA-1 of empty content, implied for zero-length manifest files without a `checksum`.
    public static let emptySHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"

    /// Suffix of the second copy of every info file and manifest.
    public static let copyExtension = ".copy"

    /// gzip level of the manifest copies in `backup.history`.
    public static let historyManifestCompressLevel: Int32 = 9
}
