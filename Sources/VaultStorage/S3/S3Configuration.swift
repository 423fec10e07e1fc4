/// Everything the S3 driver needs to reach one bucket, as the repository options (`repoN-s3-*`,
/// `repoN-storage-*`, `io-timeout`) describe it. Built by the command layer; the driver never reads options.
public struct S3Configuration: Sendable {
    /// `host` puts the bucket in the host name (`bucket.s3.region.amazonaws.com`), `path` in the path.
    public enum URIStyle: String, Sendable { case host, path }

    /// Server-side encryption requested on writes.
    public enum ServerSideEncryption: Sendable, Equatable {
        case none
        /// `x-amz-server-side-encryption: AES256` (SSE-S3).
        case s3
        /// `x-amz-server-side-encryption: aws:kms` with `x-amz-server-side-encryption-aws-kms-key-id` (SSE-KMS).
        case kms(keyId: String)
    }

    public var bucket: String
    public var region: String
    /// `repoN-s3-endpoint`: a host, `host:port`, or a URL with `http://` or `https://` (http only for tests on
    /// loopback). nil means `s3.<region>.amazonaws.com`.
    public var endpoint: String?
    public var uriStyle: URIStyle
    /// `repoN-storage-host`: where to connect instead of the endpoint's host (the Host header keeps the endpoint).
    public var storageHost: String?
    /// `repoN-storage-port` when set explicitly; otherwise the endpoint's port or the scheme's default.
    public var storagePort: Int?
    /// `repoN-path` without its leading `/`: the key prefix under which the repository lives ("" for the bucket root).
    public var rootPrefix: String
    public var verifyTLS: Bool
    public var caFile: String?
    public var caPath: String?
    /// `repoN-s3-storage-class`, sent as `x-amz-storage-class` on writes.
    public var storageClass: String?
    public var serverSideEncryption: ServerSideEncryption
    /// `repoN-s3-requester-pays`: `x-amz-request-payer: requester` on every request.
    public var requesterPays: Bool
    /// Objects larger than this are written with a multipart upload in parts of this size (5 MiB default).
    public var uploadChunkSize: Int
    /// Parts of one multipart upload in flight at once.
    public var uploadConcurrency: Int
    /// Seconds without progress on a connection before a request counts as timed out (`io-timeout`).
    public var ioTimeout: Double
    public var retry: S3RetryPolicy
    /// Send `UNSIGNED-PAYLOAD` instead of hashing bodies; refused unless the endpoint is https.
    public var unsignedPayload: Bool

    public static let defaultUploadChunkSize = 5 * 1024 * 1024

    public init(bucket: String, region: String, endpoint: String? = nil, uriStyle: URIStyle = .host,
                storageHost: String? = nil, storagePort: Int? = nil, rootPrefix: String = "", verifyTLS: Bool = true,
                caFile: String? = nil, caPath: String? = nil, storageClass: String? = nil,
                serverSideEncryption: ServerSideEncryption = .none, requesterPays: Bool = false,
                uploadChunkSize: Int = defaultUploadChunkSize, uploadConcurrency: Int = 4, ioTimeout: Double = 60,
                retry: S3RetryPolicy = S3RetryPolicy(), unsignedPayload: Bool = false) {
        self.bucket = bucket
        self.region = region
        self.endpoint = endpoint
        self.uriStyle = uriStyle
        self.storageHost = storageHost
        self.storagePort = storagePort
        self.rootPrefix = rootPrefix
        self.verifyTLS = verifyTLS
        self.caFile = caFile
        self.caPath = caPath
        self.storageClass = storageClass
        self.serverSideEncryption = serverSideEncryption
        self.requesterPays = requesterPays
        self.uploadChunkSize = uploadChunkSize
        self.uploadConcurrency = uploadConcurrency
        self.ioTimeout = ioTimeout
        self.retry = retry
        self.unsignedPayload = unsignedPayload
    }
}
