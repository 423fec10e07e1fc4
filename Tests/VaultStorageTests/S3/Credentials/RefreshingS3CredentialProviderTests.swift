import Foundation
import Synchronization
import Testing
import VaultCore
@testable import VaultStorage

/// The refresh logic against a scripted source and an injected clock (no waiting): cached until a quarter of the
/// lifetime (at most five minutes) before expiry, one fetch in flight for concurrent callers, the cached set kept
/// through a failed refresh while it is valid, the error surfacing once it has expired.
struct RefreshingS3CredentialProviderTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// A clock the test moves by hand.
    final class TestClock: Sendable {
        private let offset = Mutex<TimeInterval>(0)
        func advance(_ seconds: TimeInterval) { offset.withLock { $0 += seconds } }
        var now: Date { RefreshingS3CredentialProviderTests.start.addingTimeInterval(offset.withLock { $0 }) }
    }

    /// Hands out set number n (key `KEY<n>`) valid for `lifetime` from the clock's now; counts its calls; fails
    /// while `failing` is set; waits `delay` before answering.
    final class ScriptedSource: S3CredentialProvider {
        let clock: TestClock
        let lifetime: TimeInterval?
        let delay: Duration
        private let state = Mutex<(calls: Int, failing: Bool)>((0, false))

        init(clock: TestClock, lifetime: TimeInterval?, delay: Duration = .zero) {
            self.clock = clock
            self.lifetime = lifetime
            self.delay = delay
        }

        var calls: Int { state.withLock { $0.calls } }
        func setFailing(_ failing: Bool) { state.withLock { $0.failing = failing } }

        func credentials() async throws -> S3Credentials {
            let (number, failing) = state.withLock { state -> (Int, Bool) in
                state.calls += 1
                return (state.calls, state.failing)
            }
            if delay > .zero { try await Task.sleep(for: delay) }
            if failing { throw PGVError(.hostConnect, "unable to get credentials from sts: scripted failure") }
            return S3Credentials(accessKeyId: "KEY\(number)", secretAccessKey: "secret-\(number)",
                                 sessionToken: "token-\(number)",
                                 expiration: lifetime.map { clock.now.addingTimeInterval($0) })
        }
    }

    @Test func theMarginIsAQuarterOfTheLifetimeAtMostFiveMinutes() {
        let hour = S3Credentials(accessKeyId: "a", secretAccessKey: "b", expiration: Self.start + 3600)
        #expect(RefreshingS3CredentialProvider.refreshTime(for: hour, fetchedAt: Self.start) == Self.start + 3300)
        let quarter = S3Credentials(accessKeyId: "a", secretAccessKey: "b", expiration: Self.start + 900)
        #expect(RefreshingS3CredentialProvider.refreshTime(for: quarter, fetchedAt: Self.start) == Self.start + 675)
        let fixed = S3Credentials(accessKeyId: "a", secretAccessKey: "b")
        #expect(RefreshingS3CredentialProvider.refreshTime(for: fixed, fetchedAt: Self.start) == nil)
    }

    @Test func cachedUntilTheMarginThenRefreshed() async throws {
        let clock = TestClock()
        let source = ScriptedSource(clock: clock, lifetime: 3600)
        let provider = RefreshingS3CredentialProvider(source: source, clock: { clock.now })
        #expect(try await provider.credentials().accessKeyId == "KEY1")
        clock.advance(3299)
        #expect(try await provider.credentials().accessKeyId == "KEY1")
        #expect(source.calls == 1)
        clock.advance(1)
        #expect(try await provider.credentials().accessKeyId == "KEY2")
        #expect(try await provider.credentials().accessKeyId == "KEY2")
        #expect(source.calls == 2)
    }

    @Test func longLivedCredentialsAreFetchedOnce() async throws {
        let clock = TestClock()
        let source = ScriptedSource(clock: clock, lifetime: nil)
        let provider = RefreshingS3CredentialProvider(source: source, clock: { clock.now })
        for _ in 0..<3 {
            #expect(try await provider.credentials().accessKeyId == "KEY1")
            clock.advance(86_400 * 30)
        }
        #expect(source.calls == 1)
    }

    @Test func concurrentCallersShareOneFetch() async throws {
        let clock = TestClock()
        let source = ScriptedSource(clock: clock, lifetime: 900, delay: .milliseconds(100))
        let provider = RefreshingS3CredentialProvider(source: source, clock: { clock.now })
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<32 { group.addTask { try await provider.credentials().accessKeyId } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(keys == ["KEY1"])
        #expect(source.calls == 1)
        clock.advance(700)
        let refreshed = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<32 { group.addTask { try await provider.credentials().accessKeyId } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(refreshed == ["KEY2"])
        #expect(source.calls == 2)
    }

    @Test func aFailedRefreshKeepsTheValidSetAndPausesBeforeTheNextAttempt() async throws {
        let clock = TestClock()
        let source = ScriptedSource(clock: clock, lifetime: 3600)
        let provider = RefreshingS3CredentialProvider(source: source, clock: { clock.now })
        _ = try await provider.credentials()
        source.setFailing(true)
        clock.advance(3400)
        #expect(try await provider.credentials().accessKeyId == "KEY1")
        #expect(source.calls == 2)
        clock.advance(RefreshingS3CredentialProvider.retryPause / 2)
        #expect(try await provider.credentials().accessKeyId == "KEY1")
        #expect(source.calls == 2, "no new attempt within the pause")
        clock.advance(RefreshingS3CredentialProvider.retryPause)
        source.setFailing(false)
        #expect(try await provider.credentials().accessKeyId == "KEY3")
    }

    @Test func onceExpiredTheFetchErrorReachesTheCaller() async throws {
        let clock = TestClock()
        let source = ScriptedSource(clock: clock, lifetime: 60)
        let provider = RefreshingS3CredentialProvider(source: source, clock: { clock.now })
        _ = try await provider.credentials()
        source.setFailing(true)
        clock.advance(61)
        let error = await caughtPGVError { _ = try await provider.credentials() }
        #expect(error?.code == .hostConnect)
        let first = await caughtPGVError { _ = try await RefreshingS3CredentialProvider(
            source: source, clock: { clock.now }).credentials() }
        #expect(first?.code == .hostConnect, "no cached set at all: the error is thrown")
    }
}
