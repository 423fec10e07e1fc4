import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import VaultCore

/// Signs and sends S3 API requests for one bucket over a shared `HTTPClient` (pooled keep-alive connections),
/// retrying what `S3RetryPolicy` allows. Every attempt is signed afresh (new `x-amz-date`, current credentials).
/// A final failure becomes a `PGVError` naming the call, the bucket, the key and AWS's error code and message:
/// `.protocolError` (039) for an HTTP error status, timeouts, resets and truncated bodies, `.hostConnect` (049)
/// when no connection could be made.
final class S3Client: Sendable {
    let configuration: S3Configuration
    let addressing: S3Addressing
    private let signer: SigV4Signer
    private let credentials: any S3CredentialProvider
    private let http: HTTPClient

    init(configuration: S3Configuration, credentials: any S3CredentialProvider) throws {
        self.configuration = configuration
        addressing = try S3Addressing(configuration)
        signer = SigV4Signer(region: configuration.region)
        self.credentials = credentials
        http = try S3HTTPClients.client(for: configuration, addressing: addressing)
    }

    /// Sends `request` and collects the whole answer body (S3 XML answers and small objects).
    func send(_ request: S3Request) async throws -> S3Response {
        try await withRetries(request) { response in
            let body = try await response.body.collect(upTo: 64 << 20)
            return S3Response(status: Int(response.status.code), headers: response.headers, body: Array(buffer: body))
        }
    }

    /// Sends `request` and returns as soon as the head arrived; the body is the caller's to stream. Failures while
    /// streaming are the caller's to retry (`S3ObjectReader` resumes with a range).
    func open(_ request: S3Request) async throws -> HTTPClientResponse {
        try await withRetries(request) { $0 }
    }

    /// Sleeps for the policy's back-off after a failure that happened outside `withRetries` (a body cut off while a
    /// reader streamed it); throws the final error when no retry is left.
    func backOff(after error: any Error, attempt: Int, request: S3Request) async throws {
        let failure = Self.classify(error)
        switch configuration.retry.decide(attempt: attempt, failure: failure, retryAfter: nil,
                                          random: Double.random(in: 0..<1)) {
        case .retry(let seconds): try await Task.sleep(for: .seconds(seconds))
        case .fail: throw transportError(request, error, attempts: attempt)
        }
    }

    // MARK: - Attempts

    private func withRetries<T: Sendable>(
        _ request: S3Request, _ handle: (HTTPClientResponse) async throws -> T
    ) async throws -> T {
        let payloadHash = try await payloadHash(request.body)
        var attempt = 0
        while true {
            attempt += 1
            let failure: S3RetryPolicy.Failure
            var retryAfter: Double?
            let lastError: any Error
            do {
                let response = try await http.execute(try await signed(request, payloadHash: payloadHash),
                                                      deadline: deadline(request))
                let status = Int(response.status.code)
                if (200..<300).contains(status) || request.answeredStatuses.contains(status) {
                    return try await handle(response)
                }
                let body = (try? await response.body.collect(upTo: 1 << 20)).map { Array(buffer: $0) } ?? []
                let document = S3ErrorDocument.parse(body)
                failure = .status(status, awsCode: document?.code)
                retryAfter = response.headers.first(name: "retry-after").flatMap {
                    S3Time.retryAfterSeconds($0, now: Int64(Date().timeIntervalSince1970))
                }
                lastError = statusError(request, status: status, reason: response.status.reasonPhrase,
                                        document: document, attempts: attempt)
            } catch let error as PGVError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failure = Self.classify(error)
                lastError = transportError(request, error, attempts: attempt)
            }
            switch configuration.retry.decide(attempt: attempt, failure: failure, retryAfter: retryAfter,
                                              random: Double.random(in: 0..<1)) {
            case .retry(let seconds): try await Task.sleep(for: .seconds(seconds))
            case .fail: throw lastError
            }
        }
    }

    /// The signed AHC request of one attempt.
    private func signed(_ request: S3Request, payloadHash: String) async throws -> HTTPClientRequest {
        let credentials = try await credentials.credentials()
        var headers = request.headers
        headers.append(("host", addressing.hostHeader))
        headers.append(("x-amz-content-sha256", payloadHash))
        if configuration.requesterPays { headers.append(("x-amz-request-payer", "requester")) }
        let toSign = SigV4Request(method: request.method.rawValue, encodedPath: addressing.encodedPath(key: request.key),
                                  query: request.query, headers: headers, payloadHash: payloadHash)
        headers += signer.sign(toSign, credentials: credentials, at: .now())
        var http = HTTPClientRequest(url: addressing.url(encodedPath: toSign.encodedPath, encodedQuery: toSign.encodedQuery))
        http.method = request.method
        for header in headers { http.headers.add(name: header.name, value: header.value) }
        if request.method == .PUT || request.method == .POST || !request.body.isEmpty {
            http.body = .bytes(ByteBuffer(bytes: request.body))
        }
        return http
    }

    private func payloadHash(_ body: [UInt8]) async throws -> String {
        let unsigned = configuration.unsignedPayload, secure = addressing.secure
        if body.count < 64 * 1024 { return try S3PayloadHash.value(for: body, unsigned: unsigned, overTLS: secure) }
        return try await BlockingPool.shared.run { try S3PayloadHash.value(for: body, unsigned: unsigned, overTLS: secure) }
    }

    /// Stalls are caught by the client's read timeout (`io-timeout`); the deadline bounds a whole exchange, allowing
    /// the body at no less than 256 KiB/s. A streamed GET has no overall deadline.
    private func deadline(_ request: S3Request) -> NIODeadline {
        if request.method == .GET && request.key != nil { return .distantFuture }
        let seconds = configuration.ioTimeout * 2 + Double(request.body.count) / Double(256 * 1024)
        return .now() + .milliseconds(Int64(seconds * 1000))
    }

    // MARK: - Errors

    var endpointName: String { "\(addressing.connectHost ?? addressing.virtualHost):\(addressing.port)" }

    private func statusError(_ request: S3Request, status: Int, reason: String, document: S3ErrorDocument?,
                             attempts: Int) -> PGVError {
        var message = "s3 \(request.summary) in bucket '\(configuration.bucket)' failed with \(status)"
        if let code = document?.code { message += " \(code)" } else { message += " (\(reason))" }
        if let text = document?.message { message += ": \(text)" }
        if attempts > 1 { message += " after \(attempts) attempts" }
        let hint: String? = status == 403 || status == 400 && document?.code == "AuthorizationHeaderMalformed"
            ? "check the s3 key, secret and token of the repository, and repo-s3-region" : nil
        return PGVError(.protocolError, message, hint: hint)
    }

    func transportError(_ request: S3Request, _ error: any Error, attempts: Int) -> PGVError {
        let failure = Self.classify(error)
        let what: String
        switch failure {
        case .transport(.timeout):
            what = "timeout after \(configuration.ioTimeout)s waiting for '\(endpointName)'"
        case .transport(.connectFailed): what = "unable to connect to '\(endpointName)'"
        case .transport(.connectionReset): what = "connection to '\(endpointName)' was reset"
        case .transport(.truncatedBody): what = "the answer from '\(endpointName)' was cut short"
        case .transport(.tls): what = "tls failure with '\(endpointName)'"
        default: what = "error talking to '\(endpointName)'"
        }
        var message = "s3 \(request.summary) in bucket '\(configuration.bucket)' failed: \(what) (\(error))"
        if attempts > 1 { message += " after \(attempts) attempts" }
        let code: ErrorCode = failure == .transport(.connectFailed) || failure == .transport(.tls) ? .hostConnect : .protocolError
        let hint: String? = failure == .transport(.tls)
            ? "check repo-storage-ca-file/-ca-path, or repo-storage-verify-tls=n for a self-signed endpoint" : nil
        return PGVError(code, message, hint: hint)
    }

    /// What kind of transport failure `error` is.
    static func classify(_ error: any Error) -> S3RetryPolicy.Failure {
        if let error = error as? HTTPClientError {
            switch error {
            case .readTimeout, .writeTimeout, .connectTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout,
                 .tlsHandshakeTimeout:
                return .transport(.timeout)
            case .remoteConnectionClosed: return .transport(.connectionReset)
            case .bodyLengthMismatch: return .transport(.truncatedBody)
            default: return .transport(.other)
            }
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNRESET, EPIPE: return .transport(.connectionReset)
            case ECONNREFUSED, EHOSTUNREACH, ENETUNREACH: return .transport(.connectFailed)
            case ETIMEDOUT: return .transport(.timeout)
            default: return .transport(.other)
            }
        }
        let type = String(reflecting: Swift.type(of: error))
        if type.contains("NIOSSL") || type.contains("BoringSSL") { return .transport(.tls) }
        if type.contains("NIOConnectionError") || type.contains("SingleConnectionFailure") {
            return .transport(.connectFailed)
        }
        if let error = error as? ChannelError, error == .eof || error == .ioOnClosedChannel {
            return .transport(.connectionReset)
        }
        return .transport(.other)
    }
}
