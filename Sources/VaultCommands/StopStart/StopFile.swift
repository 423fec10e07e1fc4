import VaultStorage

/// The stop file of pgBackRest's `stop`/`start`: `<lock-path>/<stanza>.stop`, or `<lock-path>/all.stop` when no
/// stanza is given. Its presence alone is the signal; the file is empty.
public struct StopFile: Sendable, Equatable {
    public let lockPath: String
    /// nil for the all-stanzas file.
    public let stanza: String?

    public init(lockPath: String, stanza: String?) {
        self.lockPath = lockPath
        self.stanza = stanza
    }

    /// `<stanza>.stop` or `all.stop`.
    public var fileName: String { "\(stanza ?? "all").stop" }

    /// The absolute path of the file.
    public var path: String { lockPath + "/" + fileName }

    /// "stanza x" or "all stanzas", as pgBackRest names the scope in its messages.
    public var scope: String { stanza.map { "stanza \($0)" } ?? "all stanzas" }

    /// The lock directory as a storage root (stat, create and unlink go through `BlockingPool`).
    func storage() throws -> PosixStorage { try PosixStorage(root: lockPath) }

    /// True when the file exists (`lstat(2)`).
    public func exists() async throws -> Bool { try await storage().exists(fileName) }
}
