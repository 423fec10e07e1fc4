/// The options of one repository (`repoN-*`) with their pgBackRest names as properties.
public struct RepoOptions: Sendable {
    public let config: ResolvedConfig
    public let index: Int

    public init(config: ResolvedConfig, index: Int) {
        self.config = config
        self.index = index
    }

    private func text(_ name: String) -> String? { config.string("repo-" + name, index: index) }

    /// `posix`, `s3`, `cifs`, `azure`, `gcs`.
    public var type: String { text("type") ?? "posix" }
    public var path: String { text("path") ?? "/var/lib/pgbackrest" }
    /// `none` or `aes-256-cbc`.
    public var cipherType: String { text("cipher-type") ?? "none" }
    /// Secret: never log it.
    public var cipherPass: String? { text("cipher-pass") }
    public var s3Bucket: String? { text("s3-bucket") }
    public var s3Endpoint: String? { text("s3-endpoint") }
    public var s3Region: String? { text("s3-region") }
    /// Secret.
    public var s3Key: String? { text("s3-key") }
    /// Secret.
    public var s3KeySecret: String? { text("s3-key-secret") }
    /// Secret.
    public var s3Token: String? { text("s3-token") }
    /// `shared`, `auto`, `web-id`.
    public var s3KeyType: String? { text("s3-key-type") }
    public var s3Role: String? { text("s3-role") }
    public var s3KmsKeyId: String? { text("s3-kms-key-id") }
    /// `host` or `path`.
    public var s3UriStyle: String? { text("s3-uri-style") }
    public var s3StorageClass: String? { text("s3-storage-class") }
    public var s3RequesterPays: Bool { config.bool("repo-s3-requester-pays", index: index) }
    public var storageVerifyTLS: Bool {
        config.isSet("repo-storage-verify-tls", index: index) ? config.bool("repo-storage-verify-tls", index: index) : true
    }
    public var storageCAFile: String? { text("storage-ca-file") }
    public var storageCAPath: String? { text("storage-ca-path") }
    public var storageHost: String? { text("storage-host") }
    public var storagePort: Int? { config.int("repo-storage-port", index: index) }
    /// `repoN-storage-port` only when given (config, environment or command line), not its default of 443, so an
    /// endpoint's own port (`http://127.0.0.1:9000`) is kept unless overridden.
    public var storagePortIfSet: Int? {
        guard let source = config.source("repo-storage-port", index: index), source != .defaultValue else { return nil }
        return storagePort
    }
    /// `repoN-storage-retry` (pgvault): retries of a failed S3 request after the first attempt.
    public var storageRetry: Int { config.int("repo-storage-retry", index: index) ?? 4 }
    /// `io-timeout` in seconds (not indexed): how long a storage request may wait for progress.
    public var ioTimeout: Double { config.time("io-timeout") ?? 60 }
    /// Bytes; nil means the driver's default (5 MiB on S3).
    public var storageUploadChunkSize: Int64? { config.size("repo-storage-upload-chunk-size", index: index) }
    public var retentionFull: Int? { config.int("repo-retention-full", index: index) }
    /// `count` or `time`.
    public var retentionFullType: String { text("retention-full-type") ?? "count" }
    public var retentionDiff: Int? { config.int("repo-retention-diff", index: index) }
    public var retentionArchive: Int? { config.int("repo-retention-archive", index: index) }
    /// `full`, `diff`, `incr`.
    public var retentionArchiveType: String { text("retention-archive-type") ?? "full" }
    public var retentionHistory: Int? { config.int("repo-retention-history", index: index) }
    public var bundle: Bool { config.bool("repo-bundle", index: index) }
    public var bundleSize: Int64? { config.size("repo-bundle-size", index: index) }
    public var bundleLimit: Int64? { config.size("repo-bundle-limit", index: index) }
    public var hardlink: Bool { config.bool("repo-hardlink", index: index) }
    public var host: String? { text("host") }
}
