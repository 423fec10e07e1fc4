/// An ordered `key = 'value'` list for recovery settings. Putting a key that is already present replaces its value
/// in place, so the first writer decides the position (as pgBackRest's key/value store does).
public struct RecoverySettings: Sendable, Equatable {
    public private(set) var entries: [(key: String, value: String)] = []

    public init() {}

    public subscript(key: String) -> String? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    public var keys: [String] { entries.map(\.key) }

    /// The lines as PostgreSQL reads them: `key = 'value'`, a `'` inside the value doubled.
    public var lines: [String] {
        entries.map { "\($0.key) = '\(String($0.value.flatMap { $0 == "'" ? ["'", "'"] : [$0] }))'" }
    }

    public static func == (lhs: RecoverySettings, rhs: RecoverySettings) -> Bool {
        lhs.entries.elementsEqual(rhs.entries) { $0.key == $1.key && $0.value == $1.value }
    }
}
