import Glibc
import VaultCore

/// Reads the small token files of the AWS chain (web identity JWT, container authorization token). Read again on
/// every fetch: Kubernetes rotates projected service-account tokens in place.
enum TokenFileReader {
    /// The file's text without surrounding whitespace, read with open(2)/read(2) on `BlockingPool`. A missing or
    /// unreadable file is `.fileOpen` (041), an empty one `.fileRead` (042); `what` names the file in the message.
    static func read(_ path: String, what: String) async throws -> String {
        let bytes = try await BlockingPool.shared.run { try readBytes(path, what: what) }
        let text = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        guard !text.isEmpty else { throw PGVError(.fileRead, "\(what) '\(path)' is empty") }
        return text
    }

    private static func readBytes(_ path: String, what: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw PGVError(.fileOpen, "unable to open \(what) '\(path)' for read: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw PGVError(.fileRead, "unable to read \(what) '\(path)': \(String(cString: strerror(errno)))")
            }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
            guard result.count <= 1 << 20 else { throw PGVError(.fileRead, "\(what) '\(path)' is larger than 1 MiB") }
        }
    }
}

extension String {
    /// Without leading and trailing spaces, tabs, CR and LF.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
