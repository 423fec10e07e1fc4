import VaultCore

/// Bounds on the numbers read from manifests and backup.info. A hostile or corrupt repository can write any
/// integer JSON allows; values past these bounds are refused with `.format` (029) at load, so that no later sum,
/// difference, `off_t` conversion or date conversion can overflow and trap.
public enum ManifestLimits {
    /// One file's size, stored size, bundle offset or block-incremental size: 1 PiB.
    public static let maxFileSize: UInt64 = 1 << 50
    /// The sum of a manifest's file sizes (and of its stored sizes): 1 EiB, so a sum over a whole backup
    /// chain, times 10 for a size text, still fits in 64 bits.
    public static let maxTotalSize: UInt64 = 1 << 60
    /// Unix seconds from 0001-01-01 to 9999-12-31 23:59:59: a difference of two never overflows and every value
    /// has a calendar date.
    public static let timestamps: ClosedRange<Int64> = -62_135_596_800...253_402_300_799

    /// `value` when at most `maxFileSize`, else `.format` naming the key and `context`.
    static func fileSize(_ value: UInt64, _ key: String, in context: String) throws -> UInt64 {
        guard value <= maxFileSize else { throw PGVError(.format, "invalid \(key) \(value) in \(context)") }
        return value
    }

    static func timestamp(_ value: Int64, _ key: String, in context: String) throws -> Int64 {
        guard timestamps.contains(value) else { throw PGVError(.format, "invalid \(key) \(value) in \(context)") }
        return value
    }

    /// Adds `value` to `total`, `.format` when the sum passes `maxTotalSize`.
    static func add(_ value: UInt64, to total: inout UInt64, _ what: String) throws {
        let (sum, overflow) = total.addingReportingOverflow(value)
        guard !overflow, sum <= maxTotalSize else { throw PGVError(.format, "total \(what) of manifest exceeds \(maxTotalSize) bytes") }
        total = sum
    }
}

extension ManifestLimits {
    /// A backup's summed size read from backup.info (`key` of `object`) when at most `maxTotalSize`; `.format`
    /// naming the backup (`of`) otherwise.
    static func total(_ object: JsonObject, _ key: String, in context: String, of backup: String) throws -> UInt64 {
        let value = try InfoField.uint(object, key, in: context)
        guard value <= maxTotalSize else { throw PGVError(.format, "invalid \(key) \(value) in \(backup)") }
        return value
    }
}
