/// One option at one index: `repo-path` at 2 is typed `repo2-path`. Plain options have index 1.
public struct OptionKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var name: String
    public var index: Int

    public init(_ name: String, index: Int = 1) {
        self.name = name
        self.index = index
    }

    /// The name as the user types it: `repo2-path`, `pg1-port`, `stanza` (the group comes from the standard table).
    public var description: String {
        guard let group = OptionTable.standard.options[name]?.group else { return name }
        return group.rawValue + String(index) + name.dropFirst(group.rawValue.count)
    }

    public static func < (lhs: OptionKey, rhs: OptionKey) -> Bool {
        (lhs.name, lhs.index) < (rhs.name, rhs.index)
    }
}
