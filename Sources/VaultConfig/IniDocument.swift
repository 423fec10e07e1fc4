/// The contents of pgbackrest.conf files: sections in order of first appearance, each with its keys in order and
/// every value a key was given (a key repeated in a section, even across included files, holds several values).
public struct IniDocument: Sendable, Equatable {
    public struct Section: Sendable, Equatable {
        public var name: String
        /// Keys in order of first appearance.
        public var keys: [String]
        public var values: [String: [String]]

        public init(name: String) {
            self.name = name
            self.keys = []
            self.values = [:]
        }
    }

    /// Sections in order of first appearance.
    public private(set) var sections: [Section] = []

    public init() {}

    public func section(_ name: String) -> Section? {
        sections.first { $0.name == name }
    }

    /// All values of `key` in `section`, or nil if absent.
    public func values(_ section: String, _ key: String) -> [String]? {
        self.section(section)?.values[key]
    }

    /// Appends one value of `key` to `section`, creating both as needed.
    public mutating func add(section name: String, key: String, value: String) {
        let position: Int
        if let found = sections.firstIndex(where: { $0.name == name }) {
            position = found
        } else {
            sections.append(Section(name: name))
            position = sections.count - 1
        }
        if sections[position].values[key] == nil { sections[position].keys.append(key) }
        sections[position].values[key, default: []].append(value)
    }

    /// Adds every section and value of `other` after this document's own, as pgBackRest appends include files.
    public mutating func merge(_ other: IniDocument) {
        for section in other.sections {
            for key in section.keys {
                for value in section.values[key] ?? [] { add(section: section.name, key: key, value: value) }
            }
        }
    }
}
