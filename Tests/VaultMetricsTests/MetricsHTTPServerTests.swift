import Glibc
import Testing
import VaultCore
import VaultMetrics

/// A real listening socket on loopback (port 0), asked with a plain blocking HTTP/1.0 client on `BlockingPool`.
@Suite struct MetricsHTTPServerTests {
    /// Sends `request` to 127.0.0.1:`port` and reads until the server closes.
    static func exchange(port: Int, _ request: String) async throws -> String {
        try await BlockingPool.shared.run {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { return "connect failed" }
            let bytes = Array(request.utf8)
            _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            var response: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                response += buffer[0..<count]
            }
            return String(decoding: response, as: UTF8.self)
        }
    }

    @Test func answersWithTheRespondersStatusTypeAndBody() async throws {
        let server = try await MetricsHTTPServer.bind(host: "127.0.0.1", port: 0)
        let serving = Task {
            try await server.serve { path in
                path == "/metrics" ? .init(status: 200, contentType: PrometheusExposition.contentType, body: "x 1.0\n")
                    : .init(status: 404, body: "not found\n")
            }
        }
        #expect(server.port > 0)
        let ok = try await Self.exchange(port: server.port, "GET /metrics?x=1 HTTP/1.0\r\n\r\n")
        #expect(ok.hasPrefix("HTTP/1.0 200 OK\r\n"))
        #expect(ok.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"))
        #expect(ok.contains("Content-Length: 6\r\n"))
        #expect(ok.hasSuffix("\r\n\r\nx 1.0\n"))
        let missing = try await Self.exchange(port: server.port, "GET /other HTTP/1.0\r\n\r\n")
        #expect(missing.hasPrefix("HTTP/1.0 404 Not Found\r\n"))
        let post = try await Self.exchange(port: server.port, "POST /metrics HTTP/1.0\r\nContent-Length: 0\r\n\r\n")
        #expect(post.hasPrefix("HTTP/1.0 405 Method Not Allowed\r\n"))
        await server.close()
        try await serving.value
    }

    @Test func aBusyPortFailsWith041NamingTheAddress() async throws {
        let first = try await MetricsHTTPServer.bind(host: "127.0.0.1", port: 0)
        defer { Task { await first.close() } }
        let error = await #expect(throws: PGVError.self) {
            _ = try await MetricsHTTPServer.bind(host: "127.0.0.1", port: first.port)
        }
        #expect(error?.code == .fileOpen)
        #expect(error?.message.hasPrefix("unable to listen on '127.0.0.1:\(first.port)'") == true)
    }
}
