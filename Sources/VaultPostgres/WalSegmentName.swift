import VaultCore

/// A WAL segment file name, `TTTTTTTTLLLLLLLLSSSSSSSS`: timeline, log (`segno / segments per 4 GiB`) and segment
/// within the log, each as 8 upper-case hex digits, as PostgreSQL's `XLogFileName` forms it.
public struct WalSegmentName: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var timeline: UInt32
    public var log: UInt32
    public var segment: UInt32

    public init(timeline: UInt32, log: UInt32, segment: UInt32) {
        self.timeline = timeline
        self.log = log
        self.segment = segment
    }

    /// The segment that holds byte `lsn` on `timeline`, for segments of `segmentSize` bytes (a power of two,
    /// 1 MiB to 1 GiB).
    public init(lsn: Lsn, timeline: UInt32, segmentSize: UInt32) {
        self.init(timeline: timeline, segmentNumber: lsn.rawValue / UInt64(segmentSize), segmentSize: segmentSize)
    }

    /// The segment with absolute number `segmentNumber` (`XLogSegNo`).
    public init(timeline: UInt32, segmentNumber: UInt64, segmentSize: UInt32) {
        let perLog = Self.segmentsPerLog(segmentSize)
        self.init(timeline: timeline, log: UInt32(truncatingIfNeeded: segmentNumber / perLog),
                  segment: UInt32(truncatingIfNeeded: segmentNumber % perLog))
    }

    /// Parses exactly 24 hex digits (upper case, as PostgreSQL writes them). Returns nil for anything else,
    /// including `.partial` or `.backup` names; see `WalFileKind` for those.
    public init?(_ name: some StringProtocol) {
        guard name.utf8.count == 24, name.utf8.allSatisfy(Self.isUpperHex) else { return nil }
        let text = String(name)
        let utf8 = Array(text.utf8)
        guard let timeline = UInt32(String(decoding: utf8[0..<8], as: UTF8.self), radix: 16),
              let log = UInt32(String(decoding: utf8[8..<16], as: UTF8.self), radix: 16),
              let segment = UInt32(String(decoding: utf8[16..<24], as: UTF8.self), radix: 16) else { return nil }
        self.init(timeline: timeline, log: log, segment: segment)
    }

    /// Parses like `init?(_:)`, throwing `format` [029] on failure.
    public static func parse(_ name: some StringProtocol) throws -> WalSegmentName {
        guard let parsed = WalSegmentName(name) else { throw PGVError(.format, "invalid wal segment name '\(name)'") }
        return parsed
    }

    /// The 24-character file name.
    public var name: String { Self.hex8(timeline) + Self.hex8(log) + Self.hex8(segment) }

    public var description: String { name }

    /// The archive sub-directory pgBackRest files this segment under: timeline and log, 16 characters.
    public var directory: String { Self.hex8(timeline) + Self.hex8(log) }

    /// The absolute segment number (`XLogSegNo`).
    public func segmentNumber(segmentSize: UInt32) -> UInt64 {
        UInt64(log) * Self.segmentsPerLog(segmentSize) + UInt64(segment)
    }

    /// The LSN of the first byte of this segment.
    public func startLsn(segmentSize: UInt32) -> Lsn {
        Lsn(segmentNumber(segmentSize: segmentSize) * UInt64(segmentSize))
    }

    /// The following segment on the same timeline.
    public func next(segmentSize: UInt32) -> WalSegmentName {
        WalSegmentName(timeline: timeline, segmentNumber: segmentNumber(segmentSize: segmentSize) + 1, segmentSize: segmentSize)
    }

    /// The preceding segment on the same timeline, nil for segment 0.
    public func previous(segmentSize: UInt32) -> WalSegmentName? {
        let number = segmentNumber(segmentSize: segmentSize)
        guard number > 0 else { return nil }
        return WalSegmentName(timeline: timeline, segmentNumber: number - 1, segmentSize: segmentSize)
    }

    /// Every segment on `timeline` from the one holding `start` through the one holding `stop`, inclusive: the
    /// WAL a backup needs in the archive. Empty when `stop < start`.
    public static func range(from start: Lsn, to stop: Lsn, timeline: UInt32, segmentSize: UInt32) -> [WalSegmentName] {
        guard stop >= start else { return [] }
        let first = start.rawValue / UInt64(segmentSize)
        let last = stop.rawValue / UInt64(segmentSize)
        return (first...last).map { WalSegmentName(timeline: timeline, segmentNumber: $0, segmentSize: segmentSize) }
    }

    /// Orders by timeline, then position.
    public static func < (lhs: WalSegmentName, rhs: WalSegmentName) -> Bool {
        (lhs.timeline, lhs.log, lhs.segment) < (rhs.timeline, rhs.log, rhs.segment)
    }

    /// Whether `name` is a plain 24-hex-digit segment name.
    public static func isSegment(_ name: some StringProtocol) -> Bool { WalSegmentName(name) != nil }

    static func segmentsPerLog(_ segmentSize: UInt32) -> UInt64 { 0x1_0000_0000 / UInt64(segmentSize) }

    static func isUpperHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    static func hex8(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
