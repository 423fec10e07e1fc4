import Foundation
import Glibc
import VaultCore

/// A setup failure of a credential test (a server that would not start), reported as the test's error.
struct CredentialTestSetupError: Error, CustomStringConvertible {
    let description: String
}

/// A child process serving HTTP on 127.0.0.1 for the credential tests: moto (its STS implements
/// AssumeRoleWithWebIdentity) or `.fixtures/metadata_server.py`, the stand-in for the container agent and EC2
/// instance metadata, which exist only inside AWS. `stop()` ends it.
final class LocalServerProcess {
    let port: Int
    private let process: Process
    let logPath: String

    private init(port: Int, process: Process, logPath: String) {
        self.port = port
        self.process = process
        self.logPath = logPath
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// SIGKILL, then reaps the child. Not SIGTERM: children of the test runner may inherit it ignored, and then
    /// `terminate()` leaves them running.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// `moto_server -H 127.0.0.1 -p <free port>`, ready once the port accepts connections. A missing moto_server is
    /// an error that says how to install it, never a skip.
    static func startMoto() async throws -> LocalServerProcess {
        guard let executable = executableInPath("moto_server") else {
            throw CredentialTestSetupError(description: "moto_server is not installed or not in PATH; install it with "
                + "pip install 'moto[server]'")
        }
        let port = try LoopbackPort.free()
        let log = NSTemporaryDirectory() + "pgvault-moto-\(port)-\(getpid()).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = process.standardOutput
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let server = LocalServerProcess(port: port, process: process, logPath: log)
        for _ in 0..<300 {
            // werkzeug prints "Running on" only after its own bind, so a port someone else took meanwhile never
            // passes for moto
            let started = (try? String(contentsOfFile: log, encoding: .utf8))?.contains("Running on") ?? false
            if started && LoopbackPort.accepts(port) { return server }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        server.stop()
        throw CredentialTestSetupError(description: "moto_server did not listen on 127.0.0.1:\(port): \(output)")
    }

    /// `python3 .fixtures/metadata_server.py ARGS`; the script binds port 0 and prints `PORT n` once it listens.
    static func startMetadataFixture(_ arguments: [String] = []) async throws -> LocalServerProcess {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent(".fixtures/metadata_server.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let reader = output.fileHandleForReading
        let line = try await BlockingPool.shared.run { () -> String in
            var bytes: [UInt8] = []
            while let byte = try reader.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") { bytes.append(byte) }
            return String(decoding: bytes, as: UTF8.self)
        }
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            kill(process.processIdentifier, SIGKILL)
            throw CredentialTestSetupError(description: "metadata_server.py did not start: '\(line)'")
        }
        return LocalServerProcess(port: port, process: process, logPath: "")
    }

    /// The first `name` in PATH that is executable.
    static func executableInPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// A scratch directory for token files, removed by `remove()`.
struct TokenDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "pgvault-creds-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` in the directory and returns the file's path.
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The PGVError `body` threw, nil when it threw none (any other error becomes `.unknown`).
func caughtPGVError(_ body: () async throws -> Void) async -> PGVError? {
    do {
        try await body()
        return nil
    } catch let error as PGVError {
        return error
    } catch {
        return PGVError(.unknown, "not a PGVError: \(error)")
    }
}
