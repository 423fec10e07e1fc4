/// One option's final value with where it came from.
public struct ResolvedOption: Sendable, Equatable {
    public var value: OptionValue
    public var source: ConfigSource
    /// The raw text as given (`5MiB`, `y`); for lists and hashes the elements joined by `, `.
    public var display: String

    public init(value: OptionValue, source: ConfigSource, display: String) {
        self.value = value
        self.source = source
        self.display = display
    }
}
