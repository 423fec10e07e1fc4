import CCrypto

/// One-shot message digests over in-memory bytes through OpenSSL's `EVP_Digest`. Streams use `HashStage`.
public enum Digest {
    /// Lower-case hex SHA-1 of `bytes`.
    public static func sha1Hex(_ bytes: [UInt8]) -> String { hex(compute(bytes, EVP_sha1())) }

    /// Lower-case hex SHA-256 of `bytes`.
    public static func sha256Hex(_ bytes: [UInt8]) -> String { hex(compute(bytes, EVP_sha256())) }

    /// Raw SHA-256 of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] { compute(bytes, EVP_sha256()) }

    /// Lower-case hex of raw digest bytes.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func compute(_ bytes: [UInt8], _ md: OpaquePointer?) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            out.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, md, nil)
            }
        }
        precondition(ok == 1, "EVP_Digest failed")
        return Array(out.prefix(Int(length)))
    }
}
