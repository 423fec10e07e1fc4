/// What a typed option name (`no-online`, `reset-compress-type`, `repo2-path`) refers to in the option table.
public struct OptionNameMatch: Sendable, Equatable {
    public var key: OptionKey
    /// Typed as `no-<name>`.
    public var negate: Bool
    /// Typed as `reset-<name>`.
    public var reset: Bool

    public init(key: OptionKey, negate: Bool = false, reset: Bool = false) {
        self.key = key
        self.negate = negate
        self.reset = reset
    }
}
