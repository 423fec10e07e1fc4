import Glibc
import VaultCore
@testable import VaultStorage

/// Ports on 127.0.0.1 for the servers the S3 tests start (moto, the metadata fixture).
enum LoopbackPort {
    /// A port nobody listens on: bind(2) port 0, read the kernel's choice with getsockname(2), close it again.
    static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PGVError(.hostConnect, "socket(2) failed: \(StorageError.errnoText(errno))") }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw PGVError(.hostConnect, "bind(2) on 127.0.0.1 failed: \(StorageError.errnoText(errno))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether a TCP connect(2) to 127.0.0.1:`port` succeeds, i.e. a server is up.
    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
