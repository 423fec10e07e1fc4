import VaultCore

/// Validation of names read from a manifest. A hostile or corrupt repository must not make restore write outside
/// the target: every file, path and link name is relative, under `pg_data` or `pg_tblspc`, and has no empty, `.`
/// or `..` component and no NUL byte. Violations are `.format` (029).
public enum ManifestName {
    /// Sizes above this (1 PiB) are rejected as absurd (`ManifestLimits.maxFileSize`).
    public static let maxFileSize = ManifestLimits.maxFileSize

    /// True when `name` is `pg_data`, `pg_tblspc` or a clean relative path below one of them.
    public static func isValid(_ name: String, allowRoot: Bool) -> Bool {
        guard !name.utf8.contains(0) else { return false }
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        guard let first = components.first, first == "pg_data" || first == "pg_tblspc" else { return false }
        if components.count == 1 { return allowRoot }
        return components.dropFirst().allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    static func check(_ name: String, section: String, allowRoot: Bool = false) throws {
        guard isValid(name, allowRoot: allowRoot) else {
            throw PGVError(.format, "invalid name '\(name)' in section '\(section)'")
        }
    }

    /// True when `text` is 40 lower-case hex digits.
    public static func isSHA1(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
