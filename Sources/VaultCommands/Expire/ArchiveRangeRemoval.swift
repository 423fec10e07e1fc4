import VaultCore
import VaultRepository

/// The WAL removal within one archive id (pgBackRest 2.45 `removeExpiredArchive`, per archive id). Pure: given the
/// 16-character WAL directories of the id and the files of those that need a file-by-file look, it returns the
/// removals and log lines in the order pgBackRest performs them.
///
/// A directory outside every kept range is removed whole. A directory that holds kept WAL and is not after the
/// boundary backup's start is scanned: each file whose 24-character segment lies outside every range goes.
/// Directories after the boundary start are never touched. Timeline history files older than the boundary's
/// timeline go too.
public struct ArchiveRangeRemoval: Sendable, Equatable {
    /// WAL one kept backup needs: its start..stop; the boundary backup's range is open-ended (`stop` nil).
    public struct Range: Sendable, Equatable {
        public var label: String
        public var start: String
        public var stop: String?

        public init(label: String, start: String, stop: String?) {
            self.label = label
            self.start = start
            self.stop = stop
        }

        func contains(segment: String) -> Bool {
            !ByteOrder.precedes(segment, start) && (stop.map { !ByteOrder.precedes($0, segment) } ?? true)
        }
    }

    /// What to do, in order. Paths are relative to the archive id directory.
    public enum Step: Sendable, Equatable {
        case removeDirectory(String)
        case removeFile(String)
        /// An INFO line (already prefixed with the repository).
        case log(String)
    }

    public var archiveId: String
    /// The oldest retained backup of this archive id; WAL after its start is all kept.
    public var boundaryLabel: String
    /// The boundary backup's archive start.
    public var expireMax: String
    public var ranges: [Range]

    public init(archiveId: String, boundaryLabel: String, expireMax: String, ranges: [Range]) {
        self.archiveId = archiveId
        self.boundaryLabel = boundaryLabel
        self.expireMax = expireMax
        self.ranges = ranges
    }

    /// DETAIL lines naming each kept range, as pgBackRest logs them.
    public func rangeLines(repo: String) -> [String] {
        ranges.map { range in
            "\(repo): \(archiveId) archive retention on backup \(range.label), start = \(range.start)"
                + (range.stop.map { ", stop = \($0)" } ?? "")
        }
    }

    /// True when no range reaches into `directory` (a 16-character WAL directory): it goes whole.
    public func removesWhole(_ directory: String) -> Bool {
        !ranges.contains { range in
            !ByteOrder.precedes(directory, String(range.start.prefix(16)))
                && (range.stop.map { !ByteOrder.precedes(String($0.prefix(16)), directory) } ?? true)
        }
    }

    /// True when the files of `directory` must be listed: it holds kept WAL and is not after the boundary start.
    public func scans(_ directory: String) -> Bool {
        !removesWhole(directory) && !ByteOrder.precedes(String(expireMax.prefix(16)), directory)
    }

    /// The removals for `directories` (every `^[0-F]{16}$` directory of the id); `files` holds the listing of each
    /// directory `scans` selected. Consecutive removed segments are logged as one
    /// `repo1: 15-1 remove archive, start = …, stop = …` line; `no archive to remove` when nothing goes.
    public func steps(directories: [String], files: [String: [String]], repo: String) -> [Step] {
        var steps: [Step] = []
        var total = 0
        var start: String?
        var stop: String?
        func flush() {
            if let first = start, let last = stop {
                steps.append(.log("\(repo): \(archiveId) remove archive, start = \(first), stop = \(last)"))
            }
            start = nil
        }
        for directory in directories.sorted(by: { ByteOrder.precedes($0, $1) }) {
            if removesWhole(directory) {
                steps.append(.removeDirectory(directory))
                total += 1
                // pgBackRest restarts the pending range at each whole directory it removes.
                start = directory
                stop = directory
            } else if scans(directory) {
                let names = (files[directory] ?? []).filter(WalArchiveName.startsWithSegment).sorted { ByteOrder.precedes($0, $1) }
                for name in names {
                    let segment = String(name.prefix(24))
                    if ranges.contains(where: { $0.contains(segment: segment) }) {
                        flush()
                    } else {
                        steps.append(.removeFile(directory + "/" + name))
                        total += 1
                        stop = segment
                        if start == nil { start = segment }
                    }
                }
            }
        }
        if total == 0 {
            steps.append(.log("\(repo): \(archiveId) no archive to remove"))
        } else {
            flush()
        }
        return steps
    }

    /// The timeline history files (`^[0-F]{8}\.history$`) of the archive id directory older than the boundary's
    /// timeline, with their log lines.
    public func historySteps(names: [String], repo: String) -> [Step] {
        let timeline = String(expireMax.prefix(8))
        var steps: [Step] = []
        for name in names.sorted(by: { ByteOrder.precedes($0, $1) }) where Self.isHistoryFile(name) {
            if ByteOrder.precedes(String(name.prefix(8)), timeline) {
                steps.append(.removeFile(name))
                steps.append(.log("\(repo): \(archiveId) remove history file \(name)"))
            }
        }
        return steps
    }

    /// `^[0-F]{16}$`: a WAL directory (timeline and log id).
    public static func isWalDirectory(_ name: String) -> Bool {
        name.utf8.count == 16 && name.utf8.allSatisfy(isUpperHex)
    }

    static func isHistoryFile(_ name: String) -> Bool {
        name.utf8.count == 16 && name.hasSuffix(".history") && name.utf8.prefix(8).allSatisfy(isUpperHex)
    }

    private static func isUpperHex(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte)
    }
}
