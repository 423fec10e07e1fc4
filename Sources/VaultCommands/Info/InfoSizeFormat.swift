/// Sizes as pgBackRest's info text prints them: `512B`, `8.3KB`, `22MB`, `1.5GB` (1024-based). One decimal is shown
/// unless the first decimal digit of the value, truncated, is 0.
public enum InfoSizeFormat {
    public static func format(_ size: UInt64) -> String {
        let kb: UInt64 = 1024
        if size < kb { return "\(size)B" }
        let (unit, divisor): (String, UInt64) = size < kb * kb ? ("KB", kb) : size < kb * kb * kb ? ("MB", kb * kb) : ("GB", kb * kb * kb)
        let value = Double(size)
        if UInt64(value / (Double(divisor) / 10)) % 10 != 0 {
            return oneDecimal(value / Double(divisor)) + unit
        }
        return "\(size / divisor)\(unit)"
    }

    /// `%.1f`: round half to even on the binary value, as printf does.
    static func oneDecimal(_ value: Double) -> String {
        let tenths = (value * 10).rounded(.toNearestOrEven)
        let whole = Int64(tenths) / 10
        let fraction = Int64(tenths) % 10
        return "\(whole).\(fraction)"
    }
}
