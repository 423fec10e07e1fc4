import VaultCore

/// A timeline history file, `0000000N.history`, as written by PostgreSQL at promotion (`writeTimeLineHistory`):
/// one line per ancestor timeline, `parentTLI<TAB>switchpoint<TAB>reason`; blank lines and `#` comments are ignored.
public struct TimelineHistory: Sendable, Hashable {
    /// One ancestor: the timeline that ended and the LSN where the next one branched off.
    public struct Entry: Sendable, Hashable {
        public var timeline: UInt32
        public var switchPoint: Lsn
        public var reason: String

        public init(timeline: UInt32, switchPoint: Lsn, reason: String) {
            self.timeline = timeline
            self.switchPoint = switchPoint
            self.reason = reason
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// Parses the file's text. `source` names it in errors.
    ///
    /// - Throws: `format` [029] naming the line when a line has no tab-separated timeline and LSN, or the timelines
    ///   do not increase.
    public init(parsing text: String, source: String = "timeline history") throws {
        var entries: [Entry] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = trimmed.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count >= 2, let timeline = UInt32(fields[0]), let lsn = Lsn(fields[1]) else {
                throw PGVError(.format, "invalid line \(index + 1) in '\(source)': '\(line)'")
            }
            if let last = entries.last, timeline <= last.timeline {
                throw PGVError(.format, "invalid line \(index + 1) in '\(source)': timeline \(timeline) does not follow \(last.timeline)")
            }
            entries.append(Entry(timeline: timeline, switchPoint: lsn, reason: fields.count > 2 ? String(fields[2]) : ""))
        }
        self.entries = entries
    }

    /// The timeline a history file describes, from its name (`00000002.history` → 2); nil for other names.
    public static func timeline(fromFileName name: some StringProtocol) -> UInt32? {
        guard WalFileKind(fileName: name) == .history else { return nil }
        return UInt32(name.prefix(8), radix: 16)
    }

    /// The history file name for `timeline`: `00000002.history`.
    public static func fileName(timeline: UInt32) -> String { WalSegmentName.hex8(timeline) + ".history" }

    /// The timeline that held `lsn` according to this history, given that the file belongs to `currentTimeline`:
    /// the first entry whose switch point is beyond `lsn`, else the current timeline.
    public func timeline(containing lsn: Lsn, currentTimeline: UInt32) -> UInt32 {
        entries.first(where: { lsn < $0.switchPoint })?.timeline ?? currentTimeline
    }
}
