import Glibc
import VaultCore

/// repo-ls `--filter`: a POSIX extended regular expression (`regcomp(3)` with `REG_EXTENDED`, as pgBackRest's
/// `regExpNew`), matched with `regexec(3)` anywhere in a name. A pattern `regcomp` refuses is FormatError (029)
/// carrying `regerror(3)`'s text.
final class RepoLsFilter {
    private var compiled = regex_t()

    init(_ pattern: String) throws {
        let result = regcomp(&compiled, pattern, REG_EXTENDED | REG_NOSUB)
        guard result == 0 else {
            var buffer = [CChar](repeating: 0, count: 4096)
            regerror(result, &compiled, &buffer, buffer.count)
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw PGVError(.format, "invalid filter '\(pattern)': \(text)")
        }
    }

    deinit { regfree(&compiled) }

    /// True when the expression matches somewhere in `name`.
    func matches(_ name: String) -> Bool { regexec(&compiled, name, 0, nil, 0) == 0 }
}
