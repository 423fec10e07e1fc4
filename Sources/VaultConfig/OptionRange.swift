/// The inclusive range a numeric option must fall in, in the option's own unit:
/// plain numbers for integers, bytes for sizes, seconds for times.
public struct OptionRange: Sendable, Equatable {
    public var lower: Double
    public var upper: Double

    public init(_ lower: Double, _ upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    public func contains(_ value: Double) -> Bool { value >= lower && value <= upper }
}
