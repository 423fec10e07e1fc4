import VaultConfig
import VaultCore
import VaultRepository

/// The decisions of `annotate` (pure), as pgBackRest 2.45 makes them: the `--set` label must have a backup label's
/// form (032 otherwise); each `--annotation=key=value` replaces or adds the key, an empty value removes it, and an
/// annotation left without keys is dropped altogether.
enum AnnotatePlan {
    static func validateLabel(_ label: String) throws {
        guard BackupLabel.isValid(label) else {
            throw PGVError(.optionInvalidValue, "'\(label)' is not a valid backup label format")
        }
    }

    /// `current` with `changes` applied in command-line order.
    static func merge(_ current: JsonObject?, changes: [OptionHashEntry]) -> JsonObject? {
        var annotation = current ?? JsonObject()
        for change in changes {
            annotation[change.key] = change.value.isEmpty ? nil : .string(change.value)
        }
        return annotation.isEmpty ? nil : annotation
    }
}
