import VaultCore

/// One repository's failure in a command that works on every configured repository (archive-push, archive-get):
/// it is reported as `repo2: [FileMissingError] message` while the other repositories carry on, as pgBackRest does.
struct ArchiveRepositoryFailure: Sendable, Equatable {
    let label: String
    let error: PGVError

    init(label: String, error: any Error) {
        self.label = label
        var error = PGVError.wrap(error)
        // StanzaRepository already names the repository in some messages; name it once.
        if error.message.hasPrefix(label + ": ") { error.message.removeFirst(label.count + 2) }
        self.error = error
    }

    /// `repo1: [ArchiveMismatchError] message`.
    var line: String { "\(label): [\(error.code.name)] \(error.message)" }

    /// The log form: `line` plus the error's hint on its own `HINT:` line.
    var logText: String { error.hint.map { "\(line)\nHINT: \($0)" } ?? line }

    /// One error summarising `failures`: `<summary>: repo1: [Name] message; repo2: …`, with their hints joined.
    static func combined(_ code: ErrorCode, _ summary: String, _ failures: [ArchiveRepositoryFailure]) -> PGVError {
        var hints: [String] = []
        for hint in failures.compactMap(\.error.hint) where !hints.contains(hint) { hints.append(hint) }
        return PGVError(code, summary + (failures.isEmpty ? "" : ": " + failures.map(\.line).joined(separator: "; ")),
                        hint: hints.isEmpty ? nil : hints.joined(separator: "; "))
    }
}
