import CCrypto

/// The cipher passphrases pgBackRest stores in archive.info, backup.info and manifests: 48 bytes from `RAND_bytes`
/// in standard base64 (`EVP_EncodeBlock`), which is 64 characters with no padding.
public enum SubPassphrase {
    public static let randomByteCount = 48

    /// A new sub-passphrase; a random-generator failure gives `.crypto` (095).
    public static func generate() throws -> String {
        let random = try SecureRandom.bytes(randomByteCount)
        var encoded = [UInt8](repeating: 0, count: randomByteCount / 3 * 4 + 1)
        let length = EVP_EncodeBlock(&encoded, random, Int32(random.count))
        return String(decoding: encoded.prefix(Int(length)), as: UTF8.self)
    }
}
