import Foundation

/// Caches the temporary credentials of an uncached `source` (STS, container agent, IMDS) and fetches new ones
/// before they expire, so a backup that runs for hours keeps signing with valid keys.
///
/// - A set is reused until `refreshMargin` before its expiry: a quarter of its lifetime, at most five minutes
///   (one-hour STS keys refresh at 55 minutes, 15-minute keys at 11¼).
/// - An actor: concurrent callers share one fetch in flight (one `Task`), never one fetch each.
/// - When a refresh fails while the cached set is still valid, callers keep the cached set and the next attempt
///   waits `retryPause`; once the set has expired, the fetch error reaches the caller.
/// - Credentials without an expiry are cached for good.
public actor RefreshingS3CredentialProvider: S3CredentialProvider {
    public static let maximumMargin: TimeInterval = 300
    public static let retryPause: TimeInterval = 10

    private let source: any S3CredentialProvider
    private let now: @Sendable () -> Date
    private var cached: S3Credentials?
    private var refreshAt: Date?
    private var inFlight: Task<S3Credentials, any Error>?
    private var lastFailure: Date?

    /// `clock` is the current time; tests inject one to step over expiry without waiting.
    public init(source: any S3CredentialProvider, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.source = source
        now = clock
    }

    public func credentials() async throws -> S3Credentials {
        let time = now()
        if let cached {
            guard let refreshAt, time >= refreshAt else { return cached }
            if let lastFailure, isValid(cached, at: time), time < lastFailure + Self.retryPause { return cached }
        }
        let task = inFlight ?? startRefresh()
        do {
            return try await task.value
        } catch {
            if let cached, isValid(cached, at: now()) { return cached }
            throw error
        }
    }

    /// When a set fetched at `fetched` should be replaced: nil for long-lived keys.
    public static func refreshTime(for credentials: S3Credentials, fetchedAt fetched: Date) -> Date? {
        guard let expiration = credentials.expiration else { return nil }
        let lifetime = max(0, expiration.timeIntervalSince(fetched))
        return expiration.addingTimeInterval(-min(maximumMargin, lifetime / 4))
    }

    private func isValid(_ credentials: S3Credentials, at time: Date) -> Bool {
        guard let expiration = credentials.expiration else { return true }
        return time < expiration
    }

    private func startRefresh() -> Task<S3Credentials, any Error> {
        let source = source
        let task = Task<S3Credentials, any Error> {
            do {
                let fresh = try await source.credentials()
                self.store(fresh)
                return fresh
            } catch {
                self.recordFailure()
                throw error
            }
        }
        inFlight = task
        return task
    }

    private func store(_ fresh: S3Credentials) {
        cached = fresh
        refreshAt = Self.refreshTime(for: fresh, fetchedAt: now())
        lastFailure = nil
        inFlight = nil
    }

    private func recordFailure() {
        lastFailure = now()
        inFlight = nil
    }
}
