import Synchronization

/// A process-wide registry of secret values (cipher passphrases, S3 secrets, session tokens). The log handler and
/// the error printer scrub every registered value from text before it leaves the process, as a second line of
/// defence behind never formatting secrets in the first place.
public final class SecretRedactor: Sendable {
    public static let shared = SecretRedactor()
    public static let placeholder = "<redacted>"

    private let secrets = Mutex<[String]>([])

    public init() {}

    /// Registers `secret`; values shorter than 4 characters are ignored (they would scrub ordinary words).
    public func register(_ secret: String) {
        guard secret.count >= 4 else { return }
        secrets.withLock { list in
            if !list.contains(secret) {
                list.append(secret)
                list.sort { $0.count > $1.count }
            }
        }
    }

    /// `text` with every registered secret replaced by `<redacted>`.
    public func scrub(_ text: String) -> String {
        let list = secrets.withLock { $0 }
        guard !list.isEmpty else { return text }
        var result = text
        for secret in list where result.contains(secret) {
            result = result.replacing(secret, with: Self.placeholder)
        }
        return result
    }
}
