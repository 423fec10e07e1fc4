/// The passphrase hierarchy of reference §3. The user's `repo<N>-cipher-pass` encrypts only the info files;
/// each info file or manifest carries the sub-passphrase of the files below it.
public enum CipherPassphrases {
    /// archive.info and backup.info (and their copies): the user's repository passphrase.
    public static func forInfoFiles(repoPassphrase: String?) -> String? { repoPassphrase }

    /// WAL segments, partials, `.history` and `.backup` files: archive.info's `cipher-pass`.
    public static func forArchive(_ archiveInfo: ArchiveInfo) -> String? { archiveInfo.cipherPass }

    /// Manifests, their copies and `backup.history` copies: backup.info's `cipher-pass`.
    public static func forManifests(_ backupInfo: BackupInfo) -> String? { backupInfo.cipherPass }

    /// A set's data files and bundles: that set's manifest `cipher-pass`.
    public static func forBackupData(_ manifest: Manifest) -> String? { manifest.cipherPass }

    /// A new sub-passphrase: 48 random bytes from the system CSPRNG (`getrandom(2)` through
    /// `SystemRandomNumberGenerator`), standard base64, 64 characters without padding.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<48).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return base64(bytes)
    }

    /// Standard base64 (`A-Z a-z 0-9 + /`, `=` padding).
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                if position <= chunk.count {
                    out.append(alphabet[Int((value >> (18 - 6 * UInt32(position))) & 0x3f)])
                } else {
                    out.append(UInt8(ascii: "="))
                }
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
