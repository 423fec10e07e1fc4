/// When a failed S3 request is tried again, and after how long. Pure: the caller passes the attempt number, what
/// went wrong and a random number, so the decisions are unit-tested.
///
/// Retried: 5xx, 429, 503 SlowDown, the AWS codes `RequestTimeout`/`InternalError`/`SlowDown` whatever the status,
/// and transport failures (reset, timeout, truncated body, refused connection). Not retried: every other 4xx
/// (403 SignatureDoesNotMatch, 400 InvalidArgument, ...) and TLS certificate failures. The delay is exponential with
/// full jitter, `random * min(maxDelay, baseDelay * 2^(attempt-1))`, and never shorter than `Retry-After`.
public struct S3RetryPolicy: Sendable, Equatable {
    /// Retries after the first attempt (`repo-storage-retry`).
    public var maxRetries: Int
    /// Seconds: the ceiling of the first back-off.
    public var baseDelay: Double
    /// Seconds: the largest back-off and the largest `Retry-After` honoured.
    public var maxDelay: Double

    public init(maxRetries: Int = 4, baseDelay: Double = 0.25, maxDelay: Double = 20) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// What went wrong with one attempt.
    public enum Failure: Sendable, Equatable {
        /// An HTTP error status with the AWS error code from the body, when there was one.
        case status(Int, awsCode: String?)
        case transport(Transport)
    }

    public enum Transport: Sendable, Equatable {
        case connectionReset, timeout, truncatedBody, connectFailed, tls, other
    }

    public enum Decision: Sendable, Equatable {
        case retry(afterSeconds: Double)
        case fail
    }

    public func isRetriable(_ failure: Failure) -> Bool {
        switch failure {
        case .status(let status, let code):
            if let code, ["SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable", "Throttling"].contains(code) {
                return true
            }
            return status >= 500 || status == 429 || status == 408
        case .transport(let transport):
            return transport != .tls
        }
    }

    /// The decision after attempt number `attempt` (1 for the first) failed. `random` is in `0..<1`.
    public func decide(attempt: Int, failure: Failure, retryAfter: Double?, random: Double) -> Decision {
        guard isRetriable(failure), attempt <= maxRetries else { return .fail }
        let ceiling = min(maxDelay, baseDelay * Double(1 << min(attempt - 1, 30)))
        var delay = random * ceiling
        if let retryAfter { delay = max(delay, min(retryAfter, maxDelay)) }
        return .retry(afterSeconds: delay)
    }
}
