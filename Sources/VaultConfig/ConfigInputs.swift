#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VaultCore

/// What the resolver reads besides the command line, injected so tests are hermetic: the environment as a
/// dictionary, and closures that read a file and list a directory.
public struct ConfigInputs: Sendable {
    public var environment: [String: String]
    /// Contents of a file, nil when it does not exist; throws for other failures (permission denied).
    public var readFile: @Sendable (String) throws -> String?
    /// File names (not paths) in a directory, nil when it does not exist.
    public var listDirectory: @Sendable (String) throws -> [String]?

    public init(
        environment: [String: String],
        readFile: @escaping @Sendable (String) throws -> String?,
        listDirectory: @escaping @Sendable (String) throws -> [String]?
    ) {
        self.environment = environment
        self.readFile = readFile
        self.listDirectory = listDirectory
    }

    /// An environment and an in-memory file tree keyed by absolute path; directories are derived from the paths.
    public static func memory(environment: [String: String] = [:], files: [String: String] = [:]) -> ConfigInputs {
        ConfigInputs(
            environment: environment,
            readFile: { files[$0] },
            listDirectory: { directory in
                let prefix = directory.hasSuffix("/") ? directory : directory + "/"
                let names = files.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
                    .filter { !$0.contains("/") }
                return names.isEmpty ? nil : names
            })
    }

    /// The real process: `environ`, and files read with open(2)/read(2), directories listed with opendir(3).
    /// This runs once at process start, before any async work, so blocking reads are acceptable here.
    public static func process() -> ConfigInputs {
        var environment: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equal = text.firstIndex(of: "=") {
                environment[String(text[..<equal])] = String(text[text.index(after: equal)...])
            }
            cursor += 1
        }
        return ConfigInputs(environment: environment, readFile: readPosixFile, listDirectory: listPosixDirectory)
    }
}

/// Reads a whole (small) config file. ENOENT → nil; other open errors → FileOpenError (041); read errors → 042.
@Sendable private func readPosixFile(_ path: String) throws -> String? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    if descriptor < 0 {
        let error = errno
        if error == ENOENT || error == ENOTDIR { return nil }
        throw PGVError(.fileOpen, "unable to open file '\(path)' for read: [\(error)] \(String(cString: strerror(error)))")
    }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 {
            let error = errno
            if error == EINTR { continue }
            throw PGVError(.fileRead, "unable to read file '\(path)': [\(error)] \(String(cString: strerror(error)))")
        }
        if count == 0 { break }
        bytes.append(contentsOf: buffer[0..<count])
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Lists a directory with opendir(3)/readdir(3). ENOENT → nil; other errors → PathOpenError (053).
@Sendable private func listPosixDirectory(_ path: String) throws -> [String]? {
    guard let directory = opendir(path) else {
        let error = errno
        if error == ENOENT || error == ENOTDIR { return nil }
        throw PGVError(.pathOpen, "unable to list file info for path '\(path)': [\(error)] \(String(cString: strerror(error)))")
    }
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
        let name = withUnsafePointer(to: entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}
