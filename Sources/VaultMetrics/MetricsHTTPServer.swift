import NIOCore
import NIOHTTP1
import NIOPosix
import VaultCore

/// A minimal HTTP/1.1 server for `/metrics` and `/healthz` on swift-nio: a `ServerBootstrap` listening socket
/// (`bind(2)`/`listen(2)` with SO_REUSEADDR) whose connections each get NIOHTTP1's server pipeline wrapped in an
/// `NIOAsyncChannel`; every request is answered by the async `Responder` with the path asked for (query string
/// removed). GET and HEAD only (405 otherwise); keep-alive honoured.
public final class MetricsHTTPServer: Sendable {
    public struct Response: Sendable, Equatable {
        public var status: Int
        public var contentType: String
        public var body: String

        public init(status: Int, contentType: String = "text/plain; charset=utf-8", body: String) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }
    }

    public typealias Responder = @Sendable (_ path: String) async -> Response
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    private let channel: NIOAsyncChannel<Connection, Never>
    /// The port bound (the one asked for, or the kernel's choice for port 0).
    public let port: Int

    private init(channel: NIOAsyncChannel<Connection, Never>, port: Int) {
        self.channel = channel
        self.port = port
    }

    /// Binds `host:port`; fails with `.fileOpen` (041) naming the address when the socket cannot be bound.
    public static func bind(host: String, port: Int) async throws -> MetricsHTTPServer {
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 64)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port) { child in
                    child.eventLoop.makeCompletedFuture {
                        try child.pipeline.syncOperations.configureHTTPServerPipeline()
                        return try Connection(wrappingChannelSynchronously: child)
                    }
                }
            return MetricsHTTPServer(channel: channel, port: channel.channel.localAddress?.port ?? port)
        } catch {
            throw PGVError(.fileOpen, "unable to listen on '\(host):\(port)': \(error)")
        }
    }

    /// Accepts connections until the listening channel closes; each connection is served in its own child task.
    public func serve(_ responder: @escaping Responder) async throws {
        try await channel.executeThenClose { inbound in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in inbound {
                    group.addTask { await Self.handle(connection, responder) }
                }
            }
        }
    }

    /// Closes the listening socket; `serve` then returns.
    public func close() async {
        try? await channel.channel.close()
    }

    private static func handle(_ connection: Connection, _ responder: Responder) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                for try await part in inbound {
                    switch part {
                    case .head(let received): head = received
                    case .body: continue
                    case .end:
                        guard let request = head else { return }
                        let response: Response
                        if request.method == .GET || request.method == .HEAD {
                            let path = request.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
                                .first.map(String.init) ?? "/"
                            response = await responder(path)
                        } else {
                            response = Response(status: 405, body: "method not allowed\n")
                        }
                        let body = Array(response.body.utf8)
                        var headers = HTTPHeaders()
                        headers.add(name: "Content-Type", value: response.contentType)
                        headers.add(name: "Content-Length", value: String(body.count))
                        if !request.isKeepAlive { headers.add(name: "Connection", value: "close") }
                        let status = HTTPResponseStatus(statusCode: response.status)
                        try await outbound.write(.head(HTTPResponseHead(version: request.version, status: status,
                                                                        headers: headers)))
                        if request.method != .HEAD { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
                        try await outbound.write(.end(nil))
                        if !request.isKeepAlive { return }
                        head = nil
                    }
                }
            }
        } catch {
            // A client that goes away mid-request only ends its own connection.
        }
    }
}
