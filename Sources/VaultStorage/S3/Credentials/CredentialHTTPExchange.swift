import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import VaultCore

/// One small HTTP request to a credential endpoint (STS, the container agent, IMDS) and its whole body, over the
/// caller's `HTTPClient`. Errors never carry request headers or bodies, which hold tokens.
struct CredentialHTTPExchange: Sendable {
    let status: Int
    let body: String

    /// Bodies of credential endpoints are a few KiB; more is refused.
    static let bodyLimit = 1 << 20

    /// Sends `method url` with `headers` and `body` and collects the response within `timeout` (the whole exchange,
    /// connect included). A failure to connect, a timeout or a cut-off body is `.hostConnect` (049) naming
    /// `endpoint` and `url`; any HTTP status is returned for the caller to judge.
    static func perform(
        _ client: HTTPClient, method: HTTPMethod, url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeout: TimeAmount, endpoint: String
    ) async throws -> CredentialHTTPExchange {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(body) }
        do {
            let response = try await client.execute(request, timeout: timeout)
            let buffer = try await response.body.collect(upTo: bodyLimit)
            return CredentialHTTPExchange(status: Int(response.status.code), body: String(buffer: buffer))
        } catch let error as PGVError {
            throw error
        } catch {
            throw PGVError(.hostConnect, "unable to get credentials from \(endpoint) at '\(url)': \(error)")
        }
    }
}
