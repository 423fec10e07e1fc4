/// Where a repository's S3 credentials come from: the pure decision `S3CredentialChain.plan` takes from the
/// options and the environment, before any file is read or request sent.
public enum S3CredentialSource: Sendable, Equatable, CustomStringConvertible {
    /// `repoN-s3-key` / `-key-secret` / `-token`.
    case explicitKeys(S3Credentials)
    /// `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`.
    case environment(S3Credentials)
    /// IRSA: STS `AssumeRoleWithWebIdentity` with the token file.
    case webIdentity(WebIdentityCredentialProvider.Settings)
    /// ECS task role or EKS Pod Identity agent.
    case container(ContainerCredentialProvider.Settings)
    /// EC2 instance profile through IMDSv2.
    case instanceMetadata(InstanceMetadataCredentialProvider.Settings)

    public enum Kind: String, Sendable, Equatable {
        case explicitKeys = "explicit keys"
        case environment = "environment variables"
        case webIdentity = "web identity"
        case container = "container credentials"
        case instanceMetadata = "instance metadata"
    }

    public var kind: Kind {
        switch self {
        case .explicitKeys: .explicitKeys
        case .environment: .environment
        case .webIdentity: .webIdentity
        case .container: .container
        case .instanceMetadata: .instanceMetadata
        }
    }

    /// Names the source and its endpoint or role, never a key or token (for the detail log).
    public var description: String {
        switch self {
        case .explicitKeys, .environment: kind.rawValue
        case let .webIdentity(settings): "\(kind.rawValue) (role '\(settings.roleArn)', sts \(settings.stsEndpoint))"
        case let .container(settings): "\(kind.rawValue) (\(settings.url))"
        case let .instanceMetadata(settings): "\(kind.rawValue) (\(settings.endpoint))"
        }
    }
}
