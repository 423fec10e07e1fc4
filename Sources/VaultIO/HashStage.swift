import CCrypto
import VaultCore

/// Computes a SHA-1 or SHA-256 digest of the bytes that pass through, unchanged, through OpenSSL's
/// `EVP_DigestInit_ex` / `EVP_DigestUpdate` / `EVP_DigestFinal_ex` (SHA-NI when the CPU has it).
/// `digest` and `hexDigest` are valid after `finish`.
public final class HashStage: ByteStage {
    public enum Algorithm: Sendable {
        case sha1, sha256

        fileprivate var md: OpaquePointer? { self == .sha1 ? EVP_sha1() : EVP_sha256() }
    }

    public let algorithm: Algorithm
    private let context: OpaquePointer
    private var result: [UInt8]?

    public init(_ algorithm: Algorithm = .sha1) {
        self.algorithm = algorithm
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new: out of memory") }
        self.context = context
        let ok = EVP_DigestInit_ex(context, algorithm.md, nil)
        precondition(ok == 1, "EVP_DigestInit_ex failed for a built-in digest")
    }

    deinit { EVP_MD_CTX_free(context) }

    /// The raw digest (20 bytes for SHA-1, 32 for SHA-256). Only valid after `finish`.
    public var digest: [UInt8] {
        guard let result else { preconditionFailure("HashStage digest read before finish") }
        return result
    }

    /// The lower-case hex digest. Only valid after `finish`.
    public var hexDigest: String { Digest.hex(digest) }

    public func process(_ input: UnsafeRawBufferPointer, emit: ByteEmitter) throws {
        precondition(result == nil, "HashStage used after finish")
        guard input.count > 0 else { return }
        guard EVP_DigestUpdate(context, input.baseAddress, input.count) == 1 else {
            throw PGVError(.crypto, "unable to update \(algorithm) digest")
        }
        try emit(input)
    }

    public func finish(emit: ByteEmitter) throws {
        precondition(result == nil, "HashStage finished twice")
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &out, &length) == 1 else {
            throw PGVError(.crypto, "unable to finish \(algorithm) digest")
        }
        result = Array(out.prefix(Int(length)))
    }
}
