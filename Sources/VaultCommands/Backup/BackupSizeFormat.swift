/// Sizes in log lines as pgBackRest prints them: `512B`, `8KB`, `1.5MB`, `22.3GB` (one decimal unless it is 0).
public enum BackupSizeFormat {
    public static func render(_ size: UInt64) -> String {
        let units: [(UInt64, String)] = [(1 << 40, "TB"), (1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "KB")]
        for (unit, name) in units where size >= unit {
            let tenths = size * 10 / unit
            return tenths % 10 == 0 ? "\(tenths / 10)\(name)" : "\(tenths / 10).\(tenths % 10)\(name)"
        }
        return "\(size)B"
    }

    /// `part` of `total` as a percentage with two decimals, `0.33`.
    public static func percent(_ part: UInt64, of total: UInt64) -> String {
        guard total > 0 else { return "100.00" }
        let hundredths = min(part, total) * 10000 / total
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
