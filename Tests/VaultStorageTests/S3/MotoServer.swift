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
        guard let moto = LocalServerProcess.executableInPath("moto_server") else {
            throw PGVError(.fileMissing, "moto_server is not on PATH; the S3 tests need it",
                           hint: "run make deps (pip install 'moto[server]')")
        }
        let port = try LoopbackPort.free()
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
            if LoopbackPort.accepts(port) { return MotoServer(port: port) }
            usleep(100_000)
        }
        throw PGVError(.hostConnect, "moto_server did not listen on 127.0.0.1:\(port) within 20s, see \(log)")
    }
}
