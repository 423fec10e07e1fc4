import VaultCore

/// Keys from the standard AWS variables `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, read
/// once from the environment the process was started with.
public struct EnvironmentCredentialProvider: S3CredentialProvider {
    public let fixed: S3Credentials

    /// Registers the key, secret and token with `SecretRedactor.shared`.
    public init(_ credentials: S3Credentials) {
        fixed = credentials
        fixed.registerSecrets()
    }

    public func credentials() async throws -> S3Credentials { fixed }

    /// The keys in `environment`, nil when neither variable is set. One of the pair without the other is
    /// `.optionRequired` (037): a half-configured pod should fail loudly, not fall through to another source.
    public static func credentials(in environment: [String: String]) throws -> S3Credentials? {
        let key = environment.nonEmpty("AWS_ACCESS_KEY_ID")
        let secret = environment.nonEmpty("AWS_SECRET_ACCESS_KEY")
        switch (key, secret) {
        case (nil, nil):
            return nil
        case let (key?, secret?):
            return S3Credentials(accessKeyId: key, secretAccessKey: secret,
                                 sessionToken: environment.nonEmpty("AWS_SESSION_TOKEN"))
        case (_?, nil):
            throw PGVError(.optionRequired, "environment variable AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY")
        case (nil, _?):
            throw PGVError(.optionRequired, "environment variable AWS_SECRET_ACCESS_KEY is set without AWS_ACCESS_KEY_ID")
        }
    }
}

extension Dictionary where Key == String, Value == String {
    /// The variable's value, nil when unset or empty (AWS SDKs treat an empty variable as unset).
    func nonEmpty(_ name: String) -> String? {
        guard let value = self[name], !value.isEmpty else { return nil }
        return value
    }
}
