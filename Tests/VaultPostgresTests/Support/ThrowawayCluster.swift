import Foundation
import Testing
import VaultPostgres
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL 15 cluster made for one test suite: `initdb -k` as the `postgres` OS user in a fresh directory under
/// `/tmp`, optionally started with `pg_ctl` on a free loopback port with its unix socket in that directory, and
/// stopped and removed afterwards. Tests run as root; every PostgreSQL binary runs through `runuser -u postgres`.
final class ThrowawayCluster: Sendable {
    static let binDirectory = "/usr/lib/postgresql/15/bin"

    /// The cluster of the suite being run, set by the `.throwawayCluster` trait.
    @TaskLocal static var current: ThrowawayCluster?

    /// The directory holding everything; also the unix socket directory.
    let root: String
    let dataDirectory: String
    let port: Int

    var socketDirectory: String { root }

    /// Options that reach this cluster through its socket as user `postgres`.
    var connectionOptions: DatabaseConnectionOptions {
        DatabaseConnectionOptions(socketPath: socketDirectory, port: port, user: "postgres", database: "postgres")
    }

    private init(root: String, port: Int) {
        self.root = root
        dataDirectory = root + "/data"
        self.port = port
    }

    /// Makes the directory and runs `initdb -k`, then writes the server settings (port, socket directory,
    /// `listen_addresses = '127.0.0.1'`, archiving to `/bin/true`, `fsync = off`).
    static func create() throws -> ThrowawayCluster {
        var template = Array("/tmp/pgvault-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw FixtureError("mkdtemp failed: errno \(errno)") }
        let cluster = ThrowawayCluster(root: String(cString: made), port: try freePort())
        do {
            try cluster.chownToPostgres(cluster.root)
            try cluster.runAsPostgres([binDirectory + "/initdb", "-k", "-D", cluster.dataDirectory, "-U", "postgres",
                                       "-A", "trust", "--no-sync", "--no-instructions", "-E", "UTF8", "--locale=C"])
            let settings = """

                port = \(cluster.port)
                listen_addresses = '127.0.0.1'
                unix_socket_directories = '\(cluster.root)'
                archive_mode = on
                archive_command = '/bin/true'
                fsync = off
                max_connections = 20
                shared_buffers = 16MB

                """
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: cluster.dataDirectory + "/postgresql.conf"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(settings.utf8))
            try handle.close()
        } catch {
            cluster.destroy()
            throw error
        }
        return cluster
    }

    /// `pg_ctl start -w`; the server log goes to `<root>/server.log` and is quoted in the error on failure.
    func start() throws {
        do {
            try runAsPostgres([Self.binDirectory + "/pg_ctl", "-D", dataDirectory, "-l", root + "/server.log", "-w", "-t", "60", "start"])
        } catch {
            let log = (try? String(contentsOfFile: root + "/server.log", encoding: .utf8)) ?? ""
            throw FixtureError("\(error)\nserver log:\n\(log)")
        }
    }

    /// `pg_ctl stop -m fast` when running; errors are ignored so that cleanup always proceeds.
    func stop() {
        guard FileManager.default.fileExists(atPath: dataDirectory + "/postmaster.pid") else { return }
        _ = try? runAsPostgres([Self.binDirectory + "/pg_ctl", "-D", dataDirectory, "-m", "fast", "-w", "-t", "60", "stop"])
    }

    /// Stops the server and removes the directory.
    func destroy() {
        stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Runs `psql -XAtq -c sql` through the socket and returns its trimmed output.
    @discardableResult
    func psql(_ sql: String) throws -> String {
        try runAsPostgres([Self.binDirectory + "/psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-h", socketDirectory,
                           "-p", String(port), "-U", "postgres", "-d", "postgres", "-c", sql])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Makes a directory inside the cluster root owned by `postgres` (for tablespaces).
    func makePostgresDirectory(_ name: String) throws -> String {
        let path = root + "/" + name
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        try chownToPostgres(path)
        return path
    }

    /// Runs `arguments` as the `postgres` user via `runuser`, from the cluster root, and returns stdout.
    @discardableResult
    func runAsPostgres(_ arguments: [String]) throws -> String {
        try Self.run(["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments, directory: root)
    }

    /// Runs a command with `posix_spawn` from `directory` (through `/bin/sh -c 'cd "$0" && exec "$@"'`), its stdout
    /// and stderr going to temporary files, and waits for it with `waitpid`. Returns stdout; on a non-zero exit the
    /// error quotes stderr. (Foundation's `Process` left `runuser` unreaped here once `pg_ctl` had forked the server.)
    static func run(_ arguments: [String], directory: String) throws -> String {
        let base = NSTemporaryDirectory() + "pgvault-fixture-\(UUID().uuidString)"
        let outPath = base + ".stdout", errPath = base + ".stderr"
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory] + arguments
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, &cArgs, environ)
        guard spawned == 0 else { throw FixtureError("posix_spawn \(arguments[0]) failed: \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw FixtureError("waitpid failed: errno \(errno)") }
        }
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let exited = (status & 0x7F) == 0
        let code = (status >> 8) & 0xFF
        guard exited, code == 0 else {
            let errors = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            throw FixtureError("\(arguments.joined(separator: " ")) failed (status \(status)): \(errors)")
        }
        return output
    }

    private func chownToPostgres(_ path: String) throws {
        guard let entry = getpwnam("postgres") else { throw FixtureError("no postgres user on this machine") }
        guard chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw FixtureError("chown \(path) failed: errno \(errno)")
        }
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now: bind port 0, read the port the kernel chose, close.
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FixtureError("socket failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Int32 in
                guard bind(fd, raw, length) == 0 else { return -1 }
                return getsockname(fd, raw, &length)
            }
        }
        guard bound == 0 else { throw FixtureError("bind failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A failure of the test fixture itself (not of the code under test).
struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Gives a suite its own `ThrowawayCluster` (read it as `ThrowawayCluster.current`), created once before the
/// suite's first test and destroyed after its last, also when tests fail or throw.
struct ThrowawayClusterTrait: SuiteTrait, TestScoping {
    /// Whether to start the server, or leave the freshly initialised cluster stopped.
    let started: Bool

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let cluster = try ThrowawayCluster.create()
        defer { cluster.destroy() }
        if started { try cluster.start() }
        try await ThrowawayCluster.$current.withValue(cluster) { try await function() }
    }
}

extension Trait where Self == ThrowawayClusterTrait {
    /// A throwaway `initdb -k` cluster for this suite, running when `started`.
    static func throwawayCluster(started: Bool) -> Self { ThrowawayClusterTrait(started: started) }
}

extension ThrowawayCluster {
    /// The suite's cluster, or a test failure when the trait is missing.
    static func required() throws -> ThrowawayCluster {
        try #require(current, "suite needs the .throwawayCluster trait")
    }
}
