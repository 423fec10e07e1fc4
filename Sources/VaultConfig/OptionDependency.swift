/// An option that is only in effect when another option has one of some values (pgBackRest's `depend`).
///
/// When the dependency does not hold, a value from the config file or the environment is quietly ignored (it may be
/// meant for another command); a value given on the command line is an error
/// (`option 'target' not valid without option 'type' in ('lsn', 'name', 'time', 'xid')`, 031).
public struct OptionDependency: Sendable, Equatable {
    /// The option depended on, without index (`repo-type`); for an indexed option the same index is used.
    public var option: String
    /// Values of `option` that satisfy the dependency; nil means "any value set".
    public var values: [String]?
    /// Value this boolean option takes when the dependency does not hold (pgBackRest's `depend: default:`).
    public var defaultWhenUnresolved: Bool?

    public init(_ option: String, values: [String]? = nil, defaultWhenUnresolved: Bool? = nil) {
        self.option = option
        self.values = values
        self.defaultWhenUnresolved = defaultWhenUnresolved
    }
}
