import VaultConfig
import VaultCore
import VaultStorage

/// The S3 driver's configuration from one repository's options: `repoN-s3-*`, `repoN-storage-*`, `repoN-path`
/// and `io-timeout`.
public enum S3ConfigurationFromOptions {
    public static func configuration(for repo: RepoOptions) throws -> S3Configuration {
        guard let bucket = repo.s3Bucket, !bucket.isEmpty else {
            throw PGVError(.optionRequired, "repo\(repo.index)-s3-bucket is required for repo\(repo.index)-type=s3")
        }
        guard let region = repo.s3Region, !region.isEmpty else {
            throw PGVError(.optionRequired, "repo\(repo.index)-s3-region is required for repo\(repo.index)-type=s3")
        }
        var root = repo.path
        while root.hasPrefix("/") { root.removeFirst() }
        let encryption: S3Configuration.ServerSideEncryption = repo.s3KmsKeyId.map { .kms(keyId: $0) } ?? .none
        return S3Configuration(
            bucket: bucket, region: region, endpoint: repo.s3Endpoint,
            uriStyle: repo.s3UriStyle == "path" ? .path : .host, storageHost: repo.storageHost,
            storagePort: repo.storagePortIfSet, rootPrefix: root, verifyTLS: repo.storageVerifyTLS,
            caFile: repo.storageCAFile, caPath: repo.storageCAPath, storageClass: repo.s3StorageClass,
            serverSideEncryption: encryption, requesterPays: repo.s3RequesterPays,
            uploadChunkSize: repo.storageUploadChunkSize.map { Int($0) } ?? S3Configuration.defaultUploadChunkSize,
            ioTimeout: repo.ioTimeout, retry: S3RetryPolicy(maxRetries: repo.storageRetry))
    }
}
