import VaultCore
import VaultRepository

/// Loads an info file or manifest and its `.copy` separately (`InfoFileStore.loadOne` each: read, decrypt, parse,
/// checksum) so that verify can report either one being missing, corrupt, or different from the other, where a
/// normal load just falls back silently. The main file's content wins when both load.
///
/// A copy that is missing or loads with a valid checksum but other content, next to a good main file, is what a
/// writer killed between its two renames leaves (`InfoFileStore.save` renames one file, then the other): a warning,
/// as in pgBackRest, not an error. Any copy that fails its checksum or does not parse stays an error.
struct VerifyDocumentLoader: Sendable {
    struct Loaded<Value: Sendable>: Sendable {
        /// The main file's content, else the copy's; nil when neither loads.
        var value: Value?
        var problems: [VerifyReport.InvalidFile]
        /// Differences an interrupted save explains, for the log.
        var warnings: [String] = []
        /// Both files are absent.
        var bothMissing: Bool
        /// `<file>` itself is absent (whatever the copy is).
        var mainMissing: Bool
    }

    let store: InfoFileStore

    func load<T: InfoDocument & Equatable>(_ type: T.Type, from path: String, passphrase: String?) async -> Loaded<T> {
        let copyPath = path + RepositoryFormat.copyExtension
        let main = await attempt(type, path, passphrase)
        let copy = await attempt(type, copyPath, passphrase)
        var problems: [VerifyReport.InvalidFile] = []
        var warnings: [String] = []
        switch (main, copy) {
        case (.success(let value), .success(let copied)):
            if value != copied { warnings.append("'\(copyPath)' does not match '\(path)', using the main file") }
        case (.success, .failure(let error)) where error.code == .fileMissing:
            warnings.append("'\(copyPath)' is missing, using '\(path)'")
        case (.failure(let error), .failure(let copyError)):
            if error.code == .fileMissing && copyError.code == .fileMissing {
                return Loaded(value: nil, problems: [], bothMissing: true, mainMissing: true)
            }
            problems.append(Self.problem(path, error))
            problems.append(Self.problem(copyPath, copyError))
        case (.failure(let error), _):
            problems.append(Self.problem(path, error))
        case (_, .failure(let error)):
            problems.append(Self.problem(copyPath, error))
        }
        let mainMissing = if case .failure(let error) = main { error.code == .fileMissing } else { false }
        let value: T? = if case .success(let value) = main { value } else if case .success(let value) = copy { value } else { nil }
        return Loaded(value: value, problems: problems, warnings: warnings, bothMissing: false, mainMissing: mainMissing)
    }

    private func attempt<T: InfoDocument>(_ type: T.Type, _ path: String, _ passphrase: String?) async -> Result<T, PGVError> {
        do {
            return .success(try await store.loadOne(type, from: path, passphrase: passphrase))
        } catch {
            return .failure(PGVError.wrap(error, as: .fileRead, context: path))
        }
    }

    /// Missing (055) → missing, checksum (026) → checksum, anything else (crypto, format) → other.
    static func problem(_ path: String, _ error: PGVError) -> VerifyReport.InvalidFile {
        let reason: VerifyReport.Reason = switch error.code {
        case .fileMissing: .missing
        case .checksum: .checksum
        default: .other
        }
        return VerifyReport.InvalidFile(path: path, reason: reason, detail: "[\(error.code)] \(error.message)")
    }
}
