import Foundation
import VaultCore

/// Reads the XML of STS `AssumeRoleWithWebIdentity`: the `<Credentials>` of a success, the `<Error>` of a failure.
/// A tag scanner over the handful of elements involved (no XML library): STS emits them without attributes.
enum StsResponseParser {
    /// The credentials in a 2xx response body; `.format` (029) when an element is missing.
    static func credentials(from body: String) throws -> S3Credentials {
        guard let block = elementText("Credentials", in: body),
              let accessKeyId = elementText("AccessKeyId", in: block),
              let secretAccessKey = elementText("SecretAccessKey", in: block),
              let sessionToken = elementText("SessionToken", in: block),
              let expirationText = elementText("Expiration", in: block)
        else {
            throw PGVError(.format, "sts AssumeRoleWithWebIdentity response lacks Credentials with AccessKeyId, "
                + "SecretAccessKey, SessionToken and Expiration")
        }
        guard let expiration = AwsTimestamp.parse(expirationText) else {
            throw PGVError(.format, "sts AssumeRoleWithWebIdentity returned an invalid Expiration '\(expirationText)'")
        }
        return S3Credentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken,
                             expiration: expiration)
    }

    /// `Code: Message` of an STS `<Error>` body, or nil when the body has none.
    static func errorSummary(from body: String) -> String? {
        guard let error = elementText("Error", in: body) else { return nil }
        let code = elementText("Code", in: error) ?? "UnknownError"
        guard let message = elementText("Message", in: error) else { return code }
        return "\(code): \(message)"
    }

    /// The text between the first `<name>` and the following `</name>`, entity-decoded; nil when absent.
    static func elementText(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"),
              let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex)
        else { return nil }
        return decodeEntities(String(xml[open.upperBound..<close.lowerBound]))
    }

    private static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&quot;", with: "\"")
            .replacing("&apos;", with: "'").replacing("&amp;", with: "&")
    }
}
