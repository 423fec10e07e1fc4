/// Where `AssumeRoleWithWebIdentity` is sent, chosen as the AWS SDKs choose it:
/// - `AWS_ENDPOINT_URL_STS` when set (tests point it at moto on 127.0.0.1);
/// - `AWS_STS_REGIONAL_ENDPOINTS=legacy` in one of the original regions: the global `https://sts.amazonaws.com`;
/// - otherwise the regional `https://sts.<region>.amazonaws.com` (`.amazonaws.com.cn` in China).
/// The region is `AWS_REGION`, then `AWS_DEFAULT_REGION` (both set by the EKS pod identity webhook), then the
/// repository's `repoN-s3-region`.
public enum StsEndpoint {
    /// Regions the global endpoint serves under the legacy setting; newer regions always use their own endpoint.
    static let legacyGlobalRegions: Set<String> = [
        "ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "aws-global", "ca-central-1",
        "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-east-2",
        "us-west-1", "us-west-2",
    ]

    /// The endpoint URL (scheme and host, no path) for `environment` and the repository `region`.
    public static func url(environment: [String: String], region: String) -> String {
        if let override = environment.nonEmpty("AWS_ENDPOINT_URL_STS") {
            return override.hasSuffix("/") ? String(override.dropLast()) : override
        }
        let region = environment.nonEmpty("AWS_REGION") ?? environment.nonEmpty("AWS_DEFAULT_REGION") ?? region
        if environment["AWS_STS_REGIONAL_ENDPOINTS"]?.lowercased() == "legacy", legacyGlobalRegions.contains(region) {
            return "https://sts.amazonaws.com"
        }
        let domain = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return "https://sts.\(region).\(domain)"
    }
}
