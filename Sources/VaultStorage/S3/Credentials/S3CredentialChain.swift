import AsyncHTTPClient
import VaultCore

/// Chooses and builds the credential provider of an S3 repository, in this order:
/// 1. explicit `repoN-s3-key` + `repoN-s3-key-secret` (+ `repoN-s3-token`) from config, command line or
///    `PGBACKREST_REPOn_S3_KEY…`, whatever the key type;
/// 2. `repoN-s3-key-type=shared` (the default) without keys: the `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` /
///    `AWS_SESSION_TOKEN` environment variables, so a config naming only bucket, region and path works in a pod
///    that gets its keys from a secret;
/// 3. `auto`: the standard AWS chain — environment variables, web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` +
///    `AWS_ROLE_ARN`), container credentials, then EC2 IMDSv2;
/// 4. `web-id`: web identity only (pgBackRest's meaning), with `repoN-s3-role` as the role ARN when it is one.
/// Temporary credentials (web identity, container, IMDS) come wrapped in `RefreshingS3CredentialProvider`.
public enum S3CredentialChain {
    /// The source the options and `environment` select; throws when none applies.
    /// - `shared` with neither keys nor variables: `.optionRequired` (037) naming `repoN-s3-key`;
    /// - `web-id` without role ARN or token file: `.optionInvalid` (031), pgBackRest's message;
    /// - a key without its secret (or the reverse): `.optionRequired`;
    /// - `auto` with IMDS disabled and nothing else configured: `.optionRequired`;
    /// - an unknown key type: `.optionInvalidValue` (032).
    public static func plan(
        keyType: String, key: String?, secret: String?, token: String?, role: String?,
        environment: [String: String], region: String, repoIndex: Int = 1
    ) throws -> S3CredentialSource {
        let option = "repo\(repoIndex)-s3"
        let key = key.flatMap { $0.isEmpty ? nil : $0 }
        let secret = secret.flatMap { $0.isEmpty ? nil : $0 }
        switch (key, secret) {
        case let (key?, secret?):
            return .explicitKeys(S3Credentials(accessKeyId: key, secretAccessKey: secret,
                                               sessionToken: token.flatMap { $0.isEmpty ? nil : $0 }))
        case (_?, nil):
            throw PGVError(.optionRequired, "option '\(option)-key-secret' is required when '\(option)-key' is set")
        case (nil, _?):
            throw PGVError(.optionRequired, "option '\(option)-key' is required when '\(option)-key-secret' is set")
        case (nil, nil):
            break
        }
        switch keyType {
        case "shared":
            if let credentials = try EnvironmentCredentialProvider.credentials(in: environment) {
                return .environment(credentials)
            }
            let hint = WebIdentityCredentialProvider.settings(environment: environment, role: role, region: region) != nil
                ? "AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE are set: use \(option)-key-type=web-id or auto"
                : "set \(option)-key and \(option)-key-secret, export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                    + "or use \(option)-key-type=auto"
            throw PGVError(.optionRequired, "option '\(option)-key' is required: no s3 credentials in the "
                + "configuration or the environment", hint: hint)
        case "web-id":
            guard let settings = WebIdentityCredentialProvider.settings(environment: environment, role: role,
                                                                         region: region)
            else {
                throw PGVError(.optionInvalid, "option '\(option)-key-type' is 'web-id' but 'AWS_ROLE_ARN' and "
                    + "'AWS_WEB_IDENTITY_TOKEN_FILE' are not set")
            }
            return .webIdentity(settings)
        case "auto":
            if let credentials = try EnvironmentCredentialProvider.credentials(in: environment) {
                return .environment(credentials)
            }
            if let settings = WebIdentityCredentialProvider.settings(environment: environment, role: role,
                                                                      region: region) {
                return .webIdentity(settings)
            }
            if let settings = try ContainerCredentialProvider.settings(environment: environment) {
                return .container(settings)
            }
            if let settings = InstanceMetadataCredentialProvider.settings(environment: environment, role: role) {
                return .instanceMetadata(settings)
            }
            throw PGVError(.optionRequired, "no s3 credentials for '\(option)-key-type=auto': no AWS variables, "
                + "web identity or container endpoint, and AWS_EC2_METADATA_DISABLED is set")
        default:
            throw PGVError(.optionInvalidValue, "'\(keyType)' is not allowed for option '\(option)-key-type'",
                           hint: "use shared, auto or web-id")
        }
    }

    /// The provider for the source `plan` selects; see there for the errors.
    public static func provider(
        keyType: String, key: String?, secret: String?, token: String?, role: String?,
        environment: [String: String], httpClient: HTTPClient = .shared, region: String, repoIndex: Int = 1
    ) throws -> any S3CredentialProvider {
        let source = try plan(keyType: keyType, key: key, secret: secret, token: token, role: role,
                              environment: environment, region: region, repoIndex: repoIndex)
        return provider(for: source, httpClient: httpClient)
    }

    /// The provider that serves `source`: fixed keys as they are, temporary ones cached and refreshed.
    public static func provider(for source: S3CredentialSource, httpClient: HTTPClient) -> any S3CredentialProvider {
        switch source {
        case let .explicitKeys(credentials):
            ExplicitKeyCredentialProvider(key: credentials.accessKeyId, secret: credentials.secretAccessKey,
                                          token: credentials.sessionToken)
        case let .environment(credentials):
            EnvironmentCredentialProvider(credentials)
        case let .webIdentity(settings):
            RefreshingS3CredentialProvider(source: WebIdentityCredentialProvider(settings: settings,
                                                                                 httpClient: httpClient))
        case let .container(settings):
            RefreshingS3CredentialProvider(source: ContainerCredentialProvider(settings: settings,
                                                                               httpClient: httpClient))
        case let .instanceMetadata(settings):
            RefreshingS3CredentialProvider(source: InstanceMetadataCredentialProvider(settings: settings,
                                                                                      httpClient: httpClient))
        }
    }
}
