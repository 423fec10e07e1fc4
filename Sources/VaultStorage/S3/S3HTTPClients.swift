import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import Synchronization
import VaultCore

/// The process's HTTP clients for S3, one per transport setting (TLS trust, connect override, timeouts), shared by
/// every driver instance so connections are pooled and reused across requests and commands.
///
/// Each client runs on NIO's singleton event loop group. Clients live in a static table until the process exits and
/// are never deinitialised (AsyncHTTPClient traps on a client dropped without `shutdown()` in debug builds); exit
/// needs no shutdown because nothing is buffered in them. `shutdownAll()` closes them explicitly for callers that
/// want a clean teardown.
public enum S3HTTPClients {
    /// What distinguishes one client from another.
    struct Key: Hashable, Sendable {
        var verifyTLS: Bool
        var caFile: String?
        var caPath: String?
        var dnsOverride: [String: String]
        var ioTimeoutMilliseconds: Int64
    }

    private static let clients = Mutex<[Key: HTTPClient]>([:])

    /// The client for `configuration`'s transport settings, made on first use. Throws `.fileOpen` (041) when the CA
    /// file or path cannot be loaded.
    static func client(for configuration: S3Configuration, addressing: S3Addressing) throws -> HTTPClient {
        var dnsOverride: [String: String] = [:]
        if let connectHost = addressing.connectHost { dnsOverride[addressing.virtualHost] = connectHost }
        let key = Key(verifyTLS: configuration.verifyTLS, caFile: configuration.caFile, caPath: configuration.caPath,
                      dnsOverride: dnsOverride, ioTimeoutMilliseconds: Int64(configuration.ioTimeout * 1000))
        if let existing = clients.withLock({ $0[key] }) { return existing }
        let made = try makeClient(key)
        return clients.withLock { table in
            if let existing = table[key] {
                Task { try? await made.shutdown() }
                return existing
            }
            table[key] = made
            return made
        }
    }

    /// Aborts of multipart uploads started where nothing can await them (a writer dropped without commit or abort):
    /// `drainDetachedAborts` waits for them, so the process never exits with an upload left open in the bucket.
    private static let detachedAborts = Mutex<[Task<Void, Never>]>([])

    /// Keeps `task` until `drainDetachedAborts`.
    static func trackDetachedAbort(_ task: Task<Void, Never>) {
        detachedAborts.withLock { $0.append(task) }
    }

    /// Waits for the detached aborts; the command dispatcher calls it before the process exits.
    public static func drainDetachedAborts() async {
        let aborts = detachedAborts.withLock { tasks -> [Task<Void, Never>] in
            defer { tasks = [] }
            return tasks
        }
        for task in aborts { await task.value }
    }

    /// Waits for the detached aborts, then shuts every client down (closes pooled connections) and forgets them.
    public static func shutdownAll() async {
        await drainDetachedAborts()
        let all = clients.withLock { table -> [HTTPClient] in
            defer { table = [:] }
            return Array(table.values)
        }
        for client in all { try? await client.shutdown() }
    }

    private static func makeClient(_ key: Key) throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !key.verifyTLS {
            tls.certificateVerification = .none
        } else if key.caFile != nil || key.caPath != nil {
            var roots: [NIOSSLCertificate] = []
            if let caFile = key.caFile { roots += try loadCertificates(caFile) }
            if let caPath = key.caPath {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: caPath)) ?? []
                for name in names.sorted() where !name.hasPrefix(".") {
                    roots += (try? loadCertificates(caPath + "/" + name)) ?? []
                }
                if roots.isEmpty {
                    throw PGVError(.fileOpen, "unable to load any certificate from ca path '\(caPath)'")
                }
            }
            tls.trustRoots = .certificates(roots)
        }
        let timeout = TimeAmount.milliseconds(max(1, key.ioTimeoutMilliseconds))
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, timeout: HTTPClient.Configuration.Timeout(connect: timeout, read: timeout),
            connectionPool: HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(60),
                                                                     concurrentHTTP1ConnectionsPerHostSoftLimit: 16))
        // Connection failures come back at once and are retried by S3RetryPolicy with back-off, not by AHC until
        // the connect timeout (a refused TLS certificate would otherwise be retried for io-timeout).
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.dnsOverride = key.dnsOverride
        configuration.httpVersion = .http1Only
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    private static func loadCertificates(_ path: String) throws -> [NIOSSLCertificate] {
        do {
            return try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw PGVError(.fileOpen, "unable to load ca file '\(path)': \(error)")
        }
    }
}
