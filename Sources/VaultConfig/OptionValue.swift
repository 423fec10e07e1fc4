/// A checked, typed option value.
public enum OptionValue: Sendable, Equatable {
    case boolean(Bool)
    case integer(Int64)
    /// Bytes.
    case size(Int64)
    /// Seconds.
    case time(Double)
    /// A string, or an absolute path with any trailing `/` removed.
    case string(String)
    case list([String])
    /// Key/value pairs in the order given; a repeated key keeps its last value.
    case hash([OptionHashEntry])
}

/// One `key=value` pair of a hash option (`--recovery-option=recovery_target_inclusive=false`).
public struct OptionHashEntry: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
