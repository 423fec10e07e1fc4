import VaultCore
import VaultIO

/// pgBackRest's strict INI document (`src/common/ini.c`, `src/info/info.c` behaviour, reference §2.1–§2.2):
/// `[section]` headers and `key=value` lines whose values are JSON, with no trimming.
///
/// The `[backrest]` section is managed here: `render` writes `backrest-format=5` and `backrest-version` first and
/// the trailing `[backrest] backrest-checksum` last; `parse` checks the format number and the checksum and keeps
/// everything else. Sections render in byte order of their names; keys keep their stored order, which `set`
/// maintains as byte order (use `append` for the one exception, numeric `[db:history]` ids).
public struct InfoIni: Sendable, Equatable {
    /// One `key=value` line: `raw` is the value's JSON text exactly as written.
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var raw: String

        public init(key: String, raw: String) {
            self.key = key
            self.raw = raw
        }

        public static func == (lhs: Entry, rhs: Entry) -> Bool {
            ByteOrder.same(lhs.key, rhs.key) && ByteOrder.same(lhs.raw, rhs.raw)
        }

        /// The value parsed as JSON; `.jsonFormat` (099) when it is not.
        public func value() throws -> JsonValue { try JsonParser.parse(Array(raw.utf8)) }
    }

    public struct Section: Sendable, Equatable {
        public var name: String
        public var entries: [Entry]

        public static func == (lhs: Section, rhs: Section) -> Bool {
            ByteOrder.same(lhs.name, rhs.name) && lhs.entries == rhs.entries
        }
    }

    public static let backrestSection = "backrest"
    public static let formatKey = "backrest-format"
    public static let versionKey = "backrest-version"
    public static let checksumKey = "backrest-checksum"

    /// Every section except `[backrest]`, in insertion order.
    public private(set) var sections: [Section] = []
    /// `backrest-version` found by `parse` (the writer's version); nil for documents built in memory.
    public private(set) var writerVersion: String?

    public init() {}

    // MARK: access

    public func section(_ name: String) -> Section? { sections.first { ByteOrder.same($0.name, name) } }

    /// The entries of a section in stored order (empty when the section is absent).
    public func entries(in section: String) -> [Entry] { self.section(section)?.entries ?? [] }

    /// The raw JSON text of a key.
    public func raw(_ section: String, _ key: String) -> String? {
        self.section(section)?.entries.first { ByteOrder.same($0.key, key) }?.raw
    }

    /// The parsed value of a key, nil when absent.
    public func value(_ section: String, _ key: String) throws -> JsonValue? {
        guard let raw = raw(section, key) else { return nil }
        return try JsonParser.parse(Array(raw.utf8))
    }

    /// Sets a key, keeping the section's keys in byte order (a new key is inserted at its sorted position).
    public mutating func set(_ section: String, _ key: String, _ value: JsonValue) {
        setRaw(section, key, value.rendered)
    }

    /// Sets a key to raw JSON text, keeping byte order.
    public mutating func setRaw(_ section: String, _ key: String, _ raw: String) {
        let sectionIndex = indexOfSection(section)
        // Mutate in place: copying the entries out would copy the whole array on every call (COW).
        if let last = sections[sectionIndex].entries.last, ByteOrder.precedes(last.key, key) {
            sections[sectionIndex].entries.append(Entry(key: key, raw: raw))
        } else if let existing = sections[sectionIndex].entries.firstIndex(where: { ByteOrder.same($0.key, key) }) {
            sections[sectionIndex].entries[existing].raw = raw
        } else {
            let position = sections[sectionIndex].entries.firstIndex { ByteOrder.precedes(key, $0.key) }
                ?? sections[sectionIndex].entries.count
            sections[sectionIndex].entries.insert(Entry(key: key, raw: raw), at: position)
        }
    }

    /// Appends a key at the end of its section regardless of order (for numeric `[db:history]` ids).
    public mutating func append(_ section: String, _ key: String, _ value: JsonValue) {
        let sectionIndex = indexOfSection(section)
        sections[sectionIndex].entries.append(Entry(key: key, raw: value.rendered))
    }

    /// Removes a section.
    public mutating func removeSection(_ name: String) {
        sections.removeAll { ByteOrder.same($0.name, name) }
    }

    private mutating func indexOfSection(_ name: String) -> Int {
        if let index = sections.firstIndex(where: { ByteOrder.same($0.name, name) }) { return index }
        sections.append(Section(name: name, entries: []))
        return sections.count - 1
    }

    // MARK: render

    /// The file text: header `[backrest]`, the sections in byte order separated by one empty line, and the
    /// trailing `[backrest]` checksum section; ends with a single LF.
    public func render(version: String = RepositoryFormat.backrestVersion) -> [UInt8] {
        var header = Section(name: InfoIni.backrestSection, entries: [
            Entry(key: InfoIni.formatKey, raw: String(RepositoryFormat.format)),
            Entry(key: InfoIni.versionKey, raw: JsonValue.quoted(version)),
        ])
        header.entries.sort { ByteOrder.precedes($0.key, $1.key) }
        let ordered = [header] + sections.filter { !$0.entries.isEmpty }.sorted { ByteOrder.precedes($0.name, $1.name) }

        var out: [UInt8] = []
        var hash = InfoChecksum()
        for (index, section) in ordered.enumerated() {
            if index > 0 { out.append(0x0a) }
            out.append(UInt8(ascii: "["))
            out.append(contentsOf: section.name.utf8)
            out.append(contentsOf: "]\n".utf8)
            for entry in section.entries {
                out.append(contentsOf: entry.key.utf8)
                out.append(UInt8(ascii: "="))
                out.append(contentsOf: entry.raw.utf8)
                out.append(0x0a)
                hash.add(section: section.name, key: entry.key, raw: entry.raw)
            }
        }
        out.append(contentsOf: "\n[\(InfoIni.backrestSection)]\n\(InfoIni.checksumKey)=".utf8)
        out.append(contentsOf: JsonValue.quoted(hash.finish()).utf8)
        out.append(0x0a)
        return out
    }

    // MARK: parse

    /// Parses file text, then requires `backrest-format` 5 (`.format` 029) and a matching `backrest-checksum`
    /// (`.checksum` 026). Syntax errors are `.format` (029) or `.jsonFormat` (099) naming the line number only,
    /// never its text (a line may hold a passphrase).
    public static func parse(_ bytes: [UInt8]) throws -> InfoIni {
        var ini = InfoIni()
        var hash = InfoChecksum()
        var expectedChecksum: String?
        var format: String?
        var current: Int?
        var lineNumber = 0
        var backrestKeys = Set<[UInt8]>()
        // Section positions by name bytes: a linear search per header is quadratic in a hostile file's sections.
        var sectionIndex: [[UInt8]: Int] = [:]

        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0a) ?? bytes.count
            lineNumber += 1
            let line = bytes[start..<end]
            start = end + 1
            if line.isEmpty { continue }

            if line.first == UInt8(ascii: "["), line.last == UInt8(ascii: "]") {
                guard let name = String(validating: line.dropFirst().dropLast(), as: UTF8.self), !name.isEmpty else {
                    throw PGVError(.format, "invalid section name at line \(lineNumber)")
                }
                if name == backrestSection {
                    current = -1
                } else if let existing = sectionIndex[Array(name.utf8)] {
                    current = existing
                } else {
                    ini.sections.append(Section(name: name, entries: []))
                    current = ini.sections.count - 1
                    sectionIndex[Array(name.utf8)] = ini.sections.count - 1
                }
                continue
            }

            guard let sectionIndex = current else {
                throw PGVError(.format, "key/value found outside of section at line \(lineNumber)")
            }
            let (key, raw) = try splitKeyValue(line, lineNumber: lineNumber)
            let sectionName = sectionIndex < 0 ? backrestSection : ini.sections[sectionIndex].name

            if sectionIndex < 0 {
                if key == checksumKey {
                    // The one line the checksum does not cover: exactly `"<hex>"`, so that even whitespace a
                    // flipped byte adds around it (a final LF turned into a space, tab or CR) is caught.
                    guard expectedChecksum == nil,
                          raw.utf8.first == UInt8(ascii: "\""), raw.utf8.last == UInt8(ascii: "\""),
                          case .string(let text) = try JsonParser.parse(Array(raw.utf8)) else {
                        throw PGVError(.format, "invalid \(checksumKey) at line \(lineNumber)")
                    }
                    expectedChecksum = text
                    continue
                }
                guard backrestKeys.insert(Array(key.utf8)).inserted else {
                    throw PGVError(.format, "duplicate key '\(key)' in section '\(backrestSection)' at line \(lineNumber)")
                }
                if key == formatKey { format = raw }
                if key == versionKey, case .string(let text)? = try? JsonParser.parse(Array(raw.utf8)) {
                    ini.writerVersion = text
                }
            } else {
                ini.sections[sectionIndex].entries.append(Entry(key: key, raw: raw))
            }
            hash.add(section: sectionName, key: key, raw: raw)
        }

        guard format == String(RepositoryFormat.format) else {
            throw PGVError(.format, "expected format \(RepositoryFormat.format) but found \(format ?? "none")")
        }
        let actual = hash.finish()
        guard let expected = expectedChecksum else {
            throw PGVError(.checksum, "invalid checksum, actual '\(actual)' but no checksum found")
        }
        guard expected == actual else {
            throw PGVError(.checksum, "invalid checksum, actual '\(actual)' but expected '\(expected)'")
        }
        for index in ini.sections.indices {
            try rejectDuplicates(ini.sections[index])
        }
        return ini
    }

    /// At most this many `=` of one line are tried as the key/value split: each try parses the rest of the line,
    /// so a hostile line of a million `=` would otherwise take quadratic time.
    static let maxSplitCandidates = 256

    /// Splits at the first `=` whose remainder parses as JSON, trying each later `=` in turn.
    private static func splitKeyValue(_ line: ArraySlice<UInt8>, lineNumber: Int) throws -> (String, String) {
        var lastError: PGVError?
        var searchFrom = line.startIndex
        var candidates = 0
        while let equals = line[searchFrom...].firstIndex(of: UInt8(ascii: "=")) {
            searchFrom = equals + 1
            candidates += 1
            guard candidates <= maxSplitCandidates else {
                throw PGVError(.format, "more than \(maxSplitCandidates) '=' before the value at line \(lineNumber)")
            }
            guard equals > line.startIndex else { continue }
            let valueBytes = line[(equals + 1)...]
            do {
                _ = try JsonParser.parse(Array(valueBytes))
            } catch let error as PGVError {
                lastError = error
                continue
            }
            guard let key = String(validating: line[..<equals], as: UTF8.self),
                  let raw = String(validating: valueBytes, as: UTF8.self) else {
                throw PGVError(.format, "invalid utf-8 at line \(lineNumber)")
            }
            return (key, raw)
        }
        if let lastError {
            throw PGVError(.jsonFormat, "invalid value at line \(lineNumber): \(lastError.message)")
        }
        throw PGVError(.format, "missing '=' in key/value at line \(lineNumber)")
    }

    private static func rejectDuplicates(_ section: Section) throws {
        var seen = Set<[UInt8]>()
        for entry in section.entries where !seen.insert(Array(entry.key.utf8)).inserted {
            throw PGVError(.format, "duplicate key '\(entry.key)' in section '\(section.name)'")
        }
    }
}

/// The `backrest-checksum` computation of reference §2.2: SHA-1 of `{"section":{"key":raw,...},...}` built from
/// the raw value text in file order, the section name unescaped and the key JSON-escaped.
public struct InfoChecksum {
    private var text: [UInt8] = [UInt8(ascii: "{")]
    private var lastSection: String?

    public init() {}

    public mutating func add(section: String, key: String, raw: String) {
        if let last = lastSection, ByteOrder.same(last, section) {
            text.append(UInt8(ascii: ","))
        } else {
            if lastSection != nil { text.append(contentsOf: "},".utf8) }
            text.append(UInt8(ascii: "\""))
            text.append(contentsOf: section.utf8)
            text.append(contentsOf: "\":{".utf8)
            lastSection = section
        }
        JsonValue.renderString(key, into: &text)
        text.append(UInt8(ascii: ":"))
        text.append(contentsOf: raw.utf8)
    }

    /// The exact bytes hashed (for tests and diagnostics).
    public var hashInput: [UInt8] { text + Array("}}".utf8) }

    /// Lower-case hex SHA-1 of the hash input.
    public func finish() -> String { Digest.sha1Hex(hashInput) }
}
