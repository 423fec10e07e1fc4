import AsyncHTTPClient
import NIOCore
import VaultCore

/// Streams one object (or a byte range of it) from a GET answer. When the body breaks off (reset, timeout, short
/// body) it asks again from the byte it reached with `Range` and `If-Match: <etag>`, so a retried read continues the
/// same object version; retries follow the client's policy.
///
/// Single owner: `StorageReader` is used by one task at a time, so the state below is never touched concurrently.
final class S3ObjectReader: StorageReader, @unchecked Sendable {
    private let client: S3Client
    private let key: String
    private let display: String
    private let etag: String?
    /// Absolute offset of the next byte to hand out.
    private var position: UInt64
    /// Absolute end (exclusive), when known.
    private let end: UInt64?
    private var iterator: HTTPClientResponse.Body.AsyncIterator?
    private var pending: ByteBuffer?
    private var closed = false

    /// `response` is the open GET answer for bytes from `offset`; `end` the absolute end when the size is known.
    init(client: S3Client, key: String, display: String, response: HTTPClientResponse?, offset: UInt64, end: UInt64?) {
        self.client = client
        self.key = key
        self.display = display
        etag = response?.headers.first(name: "etag")
        position = offset
        self.end = end
        iterator = response?.body.makeAsyncIterator()
    }

    func read(maxLength: Int) async throws -> [UInt8]? {
        precondition(maxLength > 0, "read length must be positive")
        if closed { throw StorageError.readClosed(display) }
        var attempt = 0
        while true {
            if var buffer = pending, buffer.readableBytes > 0 {
                let bytes = buffer.readBytes(length: min(maxLength, buffer.readableBytes)) ?? []
                pending = buffer.readableBytes > 0 ? buffer : nil
                position += UInt64(bytes.count)
                return bytes
            }
            if let end, position >= end { return nil }
            guard iterator != nil else { return nil }
            do {
                var current = iterator
                let next = try await current?.next()
                iterator = current
                if let next {
                    pending = next
                    continue
                }
                iterator = nil
                if let end, position < end { throw HTTPClientError.bodyLengthMismatch }
                return nil
            } catch let error as PGVError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                attempt += 1
                let request = resumeRequest()
                try await client.backOff(after: error, attempt: attempt, request: request)
                let response = try await client.open(request)
                if response.status.code == 404 || response.status.code == 412 {
                    throw PGVError(.fileRead, "unable to read file '\(display)': it changed or vanished while being read")
                }
                iterator = response.body.makeAsyncIterator()
            }
        }
    }

    func close() async {
        closed = true
        iterator = nil
        pending = nil
    }

    private func resumeRequest() -> S3Request {
        var headers: [(name: String, value: String)] = [("range", "bytes=\(position)-" + (end.map { String($0 - 1) } ?? ""))]
        if let etag { headers.append(("if-match", etag)) }
        return S3Request(method: .GET, key: key, headers: headers, answeredStatuses: [404, 412])
    }
}
