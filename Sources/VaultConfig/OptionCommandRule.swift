/// A per-command override of an option's default, allowed values, requiredness or dependency
/// (pgBackRest lets `type` allow `full|diff|incr` for backup but `time|xid|…` for restore).
public struct OptionCommandRule: Sendable, Equatable {
    public var defaultValue: String?
    public var allowedValues: [String]?
    public var required: Bool?
    public var dependency: OptionDependency?

    public init(
        defaultValue: String? = nil, allowedValues: [String]? = nil, required: Bool? = nil,
        dependency: OptionDependency? = nil
    ) {
        self.defaultValue = defaultValue
        self.allowedValues = allowedValues
        self.required = required
        self.dependency = dependency
    }
}
