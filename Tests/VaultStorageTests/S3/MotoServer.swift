import Foundation
import Glibc
import Synchronization
import VaultCore
@testable import VaultStorage

/// A `moto_server` on a free 127.0.0.1 port, started once per test process and stopped when the process ends.
///
/// It runs under a small `sh` watchdog that SIGKILLs moto and its children (the pyenv shim's python; SIGTERM would
/// not do, moto inherits the test process's blocked signals) as soon as the test process (the
/// watchdog's parent) is gone, so no server outlives `swift test`, even when the run is interrupted. moto is
/// installed by `make deps`
/// (`scripts/install-deps.sh`); a missing `moto_server` is a test failure with that hint, not a skip.
final class MotoServer: Sendable {
    let port: Int
    var endpoint: String { "http://127.0.0.1:\(port)" }

    private init(port: Int) { self.port = port }

    /// The process's server; the first caller starts it.
    static func shared() throws -> MotoServer { try sharedServer.get() }
    private static let sharedServer = Result(catching: { try MotoServer.start() })

    private static let bucketCounter = Atomic<Int>(0)

    /// A unique bucket name for one test.
    static func freshBucketName() -> String {
        let number = bucketCounter.add(1, ordering: .relaxed).newValue
        return "pgv-\(getpid())-\(number)-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// A driver over a new, empty bucket of this server (path style, plain HTTP, keys under `repo/`).
    func makeStorage(rootPrefix: String = "repo", uploadChunkSize: Int = S3Configuration.defaultUploadChunkSize,
                     retry: S3RetryPolicy = S3RetryPolicy(maxRetries: 2, baseDelay: 0.05, maxDelay: 0.5))
        async throws -> S3Storage
    {
        let configuration = S3Configuration(
            bucket: Self.freshBucketName(), region: "us-east-1", endpoint: endpoint, uriStyle: .path,
            rootPrefix: rootPrefix, uploadChunkSize: uploadChunkSize, ioTimeout: 20, retry: retry)
        let storage = try S3Storage(configuration: configuration, credentials: StaticS3CredentialProvider(
            S3Credentials(accessKeyId: "pgvault-test", secretAccessKey: "pgvault-test-secret")))
        try await storage.createBucket()
        return storage
    }

    private static func start() throws -> MotoServer {
        guard let moto = findExecutable("moto_server") else {
            throw PGVError(.fileMissing, "moto_server is not on PATH; the S3 tests need it",
                           hint: "run make deps (pip install 'moto[server]')")
        }
        let port = try freePort()
        let log = "/tmp/pgvault-moto-\(getpid()).log"
        let script = """
            "\(moto)" -H 127.0.0.1 -p \(port) >"\(log)" 2>&1 &
            moto=$!
            while kill -0 \(getpid()) 2>/dev/null && kill -0 $moto 2>/dev/null; do sleep 0.5; done
            kill -KILL $(pgrep -P $moto) $moto 2>/dev/null
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<200 {
            if canConnect(port) { return MotoServer(port: port) }
            usleep(100_000)
        }
        throw PGVError(.hostConnect, "moto_server did not listen on 127.0.0.1:\(port) within 20s, see \(log)")
    }

    private static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// A port the kernel hands out for 127.0.0.1:0, released again for moto to bind.
    static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw PGVError(.hostConnect, "socket(2) failed: \(StorageError.errnoText(errno))") }
        defer { close(socketFD) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socketFD, pointer, length) == 0 && getsockname(socketFD, pointer, &length) == 0
            }
        }
        guard bound else { throw PGVError(.hostConnect, "bind(2) failed: \(StorageError.errnoText(errno))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func canConnect(_ port: Int) -> Bool {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { return false }
        defer { close(socketFD) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
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
