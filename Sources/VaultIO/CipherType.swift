/// pgBackRest's `repo-cipher-type` values.
public enum CipherType: String, CaseIterable, Sendable {
    case none
    case aes256cbc = "aes-256-cbc"

    /// A new encrypting stage for `passphrase`; nil for `.none`.
    public func encryptStage(passphrase: String) throws -> (any ByteStage)? {
        self == .none ? nil : try AESCipherStage(mode: .encrypt, passphrase: passphrase)
    }

    /// A new decrypting stage for `passphrase`; nil for `.none`.
    public func decryptStage(passphrase: String) throws -> (any ByteStage)? {
        self == .none ? nil : try AESCipherStage(mode: .decrypt, passphrase: passphrase)
    }
}
