import VaultCore
import VaultIO

/// The `x-amz-content-sha256` value of a request body: its hex SHA-256, or `UNSIGNED-PAYLOAD` when the driver is
/// configured not to hash bodies. An unsigned body is refused over plain HTTP, where nothing else protects it.
public enum S3PayloadHash {
    /// SHA-256 of the empty body.
    public static let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The header value for `body`; throws `.optionInvalid` (031) for an unsigned payload over `http://`.
    public static func value(for body: [UInt8], unsigned: Bool, overTLS: Bool) throws -> String {
        if unsigned {
            guard overTLS else {
                throw PGVError(.optionInvalid, "unsigned s3 payloads are allowed only over https",
                               hint: "use an https endpoint or sign payloads")
            }
            return SigV4Signer.unsignedPayload
        }
        return body.isEmpty ? empty : Digest.sha256Hex(body)
    }
}
