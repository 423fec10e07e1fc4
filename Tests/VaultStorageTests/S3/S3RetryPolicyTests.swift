import Testing
@testable import VaultStorage

struct S3RetryPolicyTests {
    let policy = S3RetryPolicy(maxRetries: 3, baseDelay: 1, maxDelay: 8)

    @Test func retriableFailures() {
        #expect(policy.isRetriable(.status(500, awsCode: "InternalError")))
        #expect(policy.isRetriable(.status(503, awsCode: "SlowDown")))
        #expect(policy.isRetriable(.status(429, awsCode: nil)))
        #expect(policy.isRetriable(.status(400, awsCode: "RequestTimeout")))
        #expect(policy.isRetriable(.transport(.connectionReset)))
        #expect(policy.isRetriable(.transport(.timeout)))
        #expect(policy.isRetriable(.transport(.truncatedBody)))
        #expect(policy.isRetriable(.transport(.connectFailed)))
    }

    @Test func authAndClientErrorsFailAtOnce() {
        #expect(policy.decide(attempt: 1, failure: .status(403, awsCode: "SignatureDoesNotMatch"), retryAfter: nil,
                              random: 0.5) == .fail)
        #expect(policy.decide(attempt: 1, failure: .status(403, awsCode: "InvalidAccessKeyId"), retryAfter: nil,
                              random: 0.5) == .fail)
        #expect(policy.decide(attempt: 1, failure: .status(400, awsCode: "InvalidArgument"), retryAfter: nil,
                              random: 0.5) == .fail)
        #expect(policy.decide(attempt: 1, failure: .transport(.tls), retryAfter: nil, random: 0.5) == .fail)
    }

    @Test func exponentialBackOffWithFullJitter() {
        let failure = S3RetryPolicy.Failure.status(500, awsCode: nil)
        #expect(policy.decide(attempt: 1, failure: failure, retryAfter: nil, random: 0.5) == .retry(afterSeconds: 0.5))
        #expect(policy.decide(attempt: 2, failure: failure, retryAfter: nil, random: 0.5) == .retry(afterSeconds: 1))
        #expect(policy.decide(attempt: 3, failure: failure, retryAfter: nil, random: 0.999) == .retry(afterSeconds: 3.996))
        #expect(policy.decide(attempt: 4, failure: failure, retryAfter: nil, random: 0.5) == .fail)
        let long = S3RetryPolicy(maxRetries: 40, baseDelay: 1, maxDelay: 8)
        #expect(long.decide(attempt: 30, failure: failure, retryAfter: nil, random: 1) == .retry(afterSeconds: 8))
    }

    @Test func retryAfterIsAFloorCappedAtTheMaximum() {
        let slowDown = S3RetryPolicy.Failure.status(503, awsCode: "SlowDown")
        #expect(policy.decide(attempt: 1, failure: slowDown, retryAfter: 2, random: 0.1) == .retry(afterSeconds: 2))
        #expect(policy.decide(attempt: 1, failure: slowDown, retryAfter: 120, random: 0.1) == .retry(afterSeconds: 8))
    }

    @Test func noRetriesConfigured() {
        let none = S3RetryPolicy(maxRetries: 0)
        #expect(none.decide(attempt: 1, failure: .transport(.timeout), retryAfter: nil, random: 0.5) == .fail)
    }
}
