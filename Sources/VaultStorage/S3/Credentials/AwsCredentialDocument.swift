import Foundation
import VaultCore

/// The JSON credential document served by the ECS/EKS container agent and by EC2 instance metadata:
/// `{"AccessKeyId": …, "SecretAccessKey": …, "Token": …, "Expiration": "…Z"}`; IMDS adds `"Code": "Success"`.
struct AwsCredentialDocument: Decodable {
    var accessKeyId: String?
    var secretAccessKey: String?
    var token: String?
    var expiration: String?
    var code: String?
    var message: String?

    enum CodingKeys: String, CodingKey {
        case accessKeyId = "AccessKeyId", secretAccessKey = "SecretAccessKey", token = "Token"
        case expiration = "Expiration", code = "Code", message = "Message"
    }

    /// Decodes `body` (JSONDecoder) into credentials. Anything but a complete document is `.format` (029) naming
    /// `endpoint`, with the document's own `Code`/`Message` when it reports a failure; the body itself is never
    /// quoted, since it may hold a secret.
    static func credentials(from body: String, endpoint: String) throws -> S3Credentials {
        guard let document = try? JSONDecoder().decode(AwsCredentialDocument.self, from: Data(body.utf8)) else {
            throw PGVError(.format, "\(endpoint) returned a credential document that is not valid json")
        }
        if let code = document.code, code != "Success" {
            throw PGVError(.format, "\(endpoint) reported \(code): \(document.message ?? "no message")")
        }
        guard let accessKeyId = document.accessKeyId, !accessKeyId.isEmpty,
              let secretAccessKey = document.secretAccessKey, !secretAccessKey.isEmpty
        else {
            throw PGVError(.format, "\(endpoint) returned a credential document without AccessKeyId and SecretAccessKey")
        }
        var expiration: Date?
        if let text = document.expiration {
            guard let date = AwsTimestamp.parse(text) else {
                throw PGVError(.format, "\(endpoint) returned an invalid Expiration '\(text)'")
            }
            expiration = date
        }
        let token = document.token.flatMap { $0.isEmpty ? nil : $0 }
        return S3Credentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: token,
                             expiration: expiration)
    }
}
