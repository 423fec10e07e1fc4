import CCrypto

/// Keyed message authentication through OpenSSL's one-shot `HMAC()`; used by the S3 SigV4 signer.
public enum HMAC {
    /// HMAC-SHA-256 of `message` under `key` (32 bytes).
    public static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBufferPointer { messageBytes in
                CCrypto.HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count),
                             messageBytes.baseAddress, messageBytes.count, &out, &length)
            }
        }
        precondition(result != nil, "HMAC-SHA256 failed")
        return Array(out.prefix(Int(length)))
    }

    /// HMAC-SHA-256 with UTF-8 strings as key and message.
    public static func sha256(key: [UInt8], message: String) -> [UInt8] {
        sha256(key: key, message: Array(message.utf8))
    }
}
