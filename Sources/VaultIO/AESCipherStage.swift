import CCrypto
import VaultCore

/// AES-256-CBC in OpenSSL's `enc` framing, as pgBackRest and `openssl enc -aes-256-cbc -md sha1` write it:
/// `Salted__` + 8 random salt bytes + CBC ciphertext with PKCS#7 padding. The key and IV come from
/// `EVP_BytesToKey(aes-256-cbc, sha1, salt, passphrase, count 1)`.
///
/// Encryption emits the header before the first ciphertext. Decryption buffers the 16-byte header, derives the key,
/// then streams; a bad header, a wrong passphrase (padding check in `EVP_DecryptFinal_ex`) or truncated input gives
/// `.crypto` (095).
public final class AESCipherStage: ByteStage {
    public enum Mode: Sendable { case encrypt, decrypt }

    static let magic: [UInt8] = Array("Salted__".utf8)
    static let headerSize = 16
    private static let sliceSize = 64 * 1024

    public let mode: Mode
    private let passphrase: [UInt8]
    private let context: OpaquePointer
    private var started = false
    private var header: [UInt8] = []
    private var output: [UInt8]
    /// Bytes of input consumed, for error messages and size accounting.
    public private(set) var bytesIn: UInt64 = 0
    public private(set) var bytesOut: UInt64 = 0

    /// - Parameter salt: fixed salt for tests only; production leaves it nil and gets `RAND_bytes` salt.
    public init(mode: Mode, passphrase: [UInt8], salt: [UInt8]? = nil) throws {
        guard let context = EVP_CIPHER_CTX_new() else {
            throw PGVError(.memory, "unable to allocate cipher context")
        }
        self.mode = mode
        self.passphrase = passphrase
        self.context = context
        self.output = [UInt8](repeating: 0, count: Self.sliceSize + 32)
        if mode == .encrypt {
            let salt = try salt ?? Self.randomSalt()
            try initialize(salt: salt)
            header = Self.magic + salt
        }
    }

    public convenience init(mode: Mode, passphrase: String) throws {
        try self.init(mode: mode, passphrase: Array(passphrase.utf8))
    }

    deinit { EVP_CIPHER_CTX_free(context) }

    public func process(_ input: UnsafeRawBufferPointer, emit: ByteEmitter) throws {
        bytesIn += UInt64(input.count)
        var remaining = input
        if mode == .encrypt, !started {
            started = true
            try header.withUnsafeBytes { try emitCounted($0, emit) }
        }
        if mode == .decrypt, !started {
            let need = Self.headerSize - header.count
            let take = min(need, remaining.count)
            header.append(contentsOf: remaining.prefix(take))
            remaining = UnsafeRawBufferPointer(rebasing: remaining.dropFirst(take))
            guard header.count == Self.headerSize else { return }
            guard Array(header.prefix(8)) == Self.magic else {
                throw PGVError(.crypto, "cipher header invalid", hint: "is or was the repo encrypted?")
            }
            try initialize(salt: Array(header.suffix(8)))
            started = true
        }
        while !remaining.isEmpty {
            let slice = UnsafeRawBufferPointer(rebasing: remaining.prefix(Self.sliceSize))
            var produced: Int32 = 0
            let ok = output.withUnsafeMutableBytes { out in
                EVP_CipherUpdate(context, out.bindMemory(to: UInt8.self).baseAddress, &produced,
                                 slice.bindMemory(to: UInt8.self).baseAddress, Int32(slice.count))
            }
            guard ok == 1 else { throw PGVError(.crypto, "unable to process cipher data") }
            try output.withUnsafeBytes { try emitCounted(UnsafeRawBufferPointer(rebasing: $0.prefix(Int(produced))), emit) }
            remaining = UnsafeRawBufferPointer(rebasing: remaining.dropFirst(slice.count))
        }
    }

    public func finish(emit: ByteEmitter) throws {
        if mode == .encrypt, !started {
            started = true
            try header.withUnsafeBytes { try emitCounted($0, emit) }
        }
        if mode == .decrypt, !started {
            throw PGVError(.crypto, header.isEmpty ? "cipher header missing" : "cipher header truncated",
                           hint: "is or was the repo encrypted?")
        }
        var produced: Int32 = 0
        let ok = output.withUnsafeMutableBytes { out in
            EVP_CipherFinal_ex(context, out.bindMemory(to: UInt8.self).baseAddress, &produced)
        }
        guard ok == 1 else {
            throw PGVError(.crypto, "unable to flush cipher: bad decrypt or truncated data",
                           hint: "is the cipher passphrase correct?")
        }
        try output.withUnsafeBytes { try emitCounted(UnsafeRawBufferPointer(rebasing: $0.prefix(Int(produced))), emit) }
    }

    private func emitCounted(_ bytes: UnsafeRawBufferPointer, _ emit: ByteEmitter) throws {
        guard bytes.count > 0 else { return }
        bytesOut += UInt64(bytes.count)
        try emit(bytes)
    }

    /// Derives key and IV with `EVP_BytesToKey` and starts the cipher with `EVP_CipherInit_ex`.
    private func initialize(salt: [UInt8]) throws {
        var key = [UInt8](repeating: 0, count: 32)
        var iv = [UInt8](repeating: 0, count: 16)
        let derived = passphrase.withUnsafeBufferPointer { pass in
            EVP_BytesToKey(EVP_aes_256_cbc(), EVP_sha1(), salt, pass.baseAddress, Int32(pass.count), 1, &key, &iv)
        }
        guard derived == 32 else { throw PGVError(.crypto, "unable to derive cipher key") }
        guard EVP_CipherInit_ex(context, EVP_aes_256_cbc(), nil, key, iv, mode == .encrypt ? 1 : 0) == 1 else {
            throw PGVError(.crypto, "unable to initialize cipher")
        }
    }

    private static func randomSalt() throws -> [UInt8] {
        var salt = [UInt8](repeating: 0, count: 8)
        guard RAND_bytes(&salt, 8) == 1 else { throw PGVError(.crypto, "unable to generate random salt") }
        return salt
    }
}
