/// One option as found in one source, before checking: its raw strings and whether it was negated or reset.
public struct RawOptionSetting: Sendable, Equatable {
    /// Raw values; several for a repeated list/hash option, empty for a bare boolean or a negate/reset.
    public var values: [String]
    /// `--no-opt`, `--opt=n`, or `n` in the file/environment.
    public var negate: Bool
    /// `--reset-opt`: back to the default, ignoring environment and file.
    public var reset: Bool

    public init(values: [String] = [], negate: Bool = false, reset: Bool = false) {
        self.values = values
        self.negate = negate
        self.reset = reset
    }
}
