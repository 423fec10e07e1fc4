import VaultCore

/// Reads pgbackrest.conf syntax (pgBackRest's non-strict INI, `src/common/ini.c`): `[section]` lines, `key=value`
/// lines with spaces trimmed around key and value, blank lines and `#` comment lines ignored. A key may repeat
/// (list and hash options). Malformed lines fail with FormatError (029) naming the 1-based line number, the
/// wording pgBackRest uses: `missing '=' in key/value at line 3: stanza`.
/// The repository's strict INI (info files, manifests) is another format, parsed in VaultRepository.
public enum IniParser {
    public static func parse(_ text: String) throws -> IniDocument {
        var document = IniDocument()
        var section: String?
        var lineNumber = 0
        // Split on Character newlines: "\r\n" is one Character in Swift, so splitting on "\n" alone would miss it.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = trim(Substring(rawLine))
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else {
                    throw PGVError(.format, "ini section should end with ] at line \(lineNumber): \(line)")
                }
                let name = String(line.dropFirst().dropLast())
                if name.isEmpty {
                    throw PGVError(.format, "invalid empty section at line \(lineNumber): \(line)")
                }
                section = name
                continue
            }
            guard let section else {
                throw PGVError(.format, "key/value found outside of section at line \(lineNumber): \(line)")
            }
            guard let equal = line.firstIndex(of: "=") else {
                throw PGVError(.format, "missing '=' in key/value at line \(lineNumber): \(line)")
            }
            let key = trim(line[..<equal])
            if key.isEmpty {
                throw PGVError(.format, "key is zero-length at line \(lineNumber): \(line)")
            }
            let value = trim(line[line.index(after: equal)...])
            document.add(section: section, key: String(key), value: String(value))
        }
        return document
    }

    private static func trim(_ text: Substring) -> Substring {
        var result = text
        while let first = result.first, first == " " || first == "\t" || first == "\r" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" || last == "\r" { result.removeLast() }
        return result
    }
}
