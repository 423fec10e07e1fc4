/// Sizes as pgBackRest prints them in restore logs: bytes below 1 KiB (`512B`), then KB, MB, GB with at most one
/// decimal (`8KB`, `1.5MB`).
enum RestoreSizeFormat {
    static func text(_ bytes: UInt64) -> String {
        let units = ["KB", "MB", "GB", "TB"]
        if bytes < 1024 { return "\(bytes)B" }
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let tenths = Int64((value * 10).rounded())
        return (tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)") + units[unit]
    }
}
