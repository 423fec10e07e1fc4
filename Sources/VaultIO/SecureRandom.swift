import CCrypto
import VaultCore

/// Cryptographically secure random bytes from OpenSSL's `RAND_bytes` (the OS-seeded DRBG).
public enum SecureRandom {
    /// `count` random bytes; a DRBG failure gives `.crypto` (095).
    public static func bytes(_ count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return bytes }
        guard RAND_bytes(&bytes, Int32(count)) == 1 else {
            throw PGVError(.crypto, "unable to generate \(count) random bytes")
        }
        return bytes
    }
}
