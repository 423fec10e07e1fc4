import Glibc
import VaultCore
import VaultPostgres

/// Waits until WAL segments appear in the archive (reference §5 steps 4 and 12): the listing of each segment's
/// directory is polled every 100 ms through `WalArchiveLookup` until all are there or `timeout` seconds pass,
/// then ArchiveTimeoutError (082).
public struct BackupWalWait: Sendable {
    public let lookup: WalArchiveLookup
    public let timeout: Double

    public init(lookup: WalArchiveLookup, timeout: Double) {
        self.lookup = lookup
        self.timeout = timeout
    }

    /// Every segment from `first` through `last` (same timeline), in order, for WAL segments of `segmentSize`.
    public static func segments(from first: String, to last: String, segmentSize: UInt32) throws -> [String] {
        var segment = try WalSegmentName.parse(first)
        let stop = try WalSegmentName.parse(last)
        var names = [segment.name]
        while segment < stop && names.count < 1_000_000 {
            segment = segment.next(segmentSize: segmentSize)
            names.append(segment.name)
        }
        return names
    }

    public func wait(for segments: [String]) async throws {
        let deadline = Self.now() + timeout
        while true {
            if try await lookup.containsAll(segments) { return }
            if Self.now() >= deadline { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        var missing = segments.first ?? ""
        for segment in segments where try await !lookup.containsAll([segment]) {
            missing = segment
            break
        }
        throw PGVError(.archiveTimeout,
                       "WAL segment \(missing) was not archived before the \(Int(timeout * 1000))ms timeout",
                       hint: "check the archive_command to ensure that all options are correct (especially --stanza)."
                           + "\nHINT: check the PostgreSQL server log for errors."
                           + "\nHINT: run the 'start' command if the stanza was previously stopped.")
    }

    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
