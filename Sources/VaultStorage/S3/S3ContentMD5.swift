import CCrypto
import Foundation

/// The base64 MD5 of a request body, for the `Content-MD5` header S3 requires on DeleteObjects. Computed with
/// libcrypto's `EVP_Digest(EVP_md5())`.
enum S3ContentMD5 {
    static func base64(_ body: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = body.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, EVP_md5(), nil)
            }
        }
        precondition(ok == 1, "EVP_Digest(md5) failed")
        return Data(digest.prefix(Int(length))).base64EncodedString()
    }
}
