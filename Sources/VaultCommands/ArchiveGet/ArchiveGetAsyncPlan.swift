import VaultPostgres
import VaultRepository

/// The async archive-get decisions, made from the requested name, the queue listing and pg_control's WAL segment
/// size without any I/O (pgBackRest's `queueNeed`).
enum ArchiveGetAsyncPlan {
    /// What to do with the spool `in` queue before starting a worker.
    struct Queue: Sendable, Equatable {
        /// Segments the worker is to fetch, in order.
        var need: [String]
        /// Queue entries to delete: segments outside the wanted window (older than the request, or too far ahead)
        /// and status files, except the `.ok` (warnings) of a kept segment.
        var remove: [String]
    }

    /// The window starts at `walName` when it was not found in the queue, else at the segment after it, and holds
    /// `queueMax / segmentSize` segments (at least 2) on the same timeline.
    static func queue(walName: String, found: Bool, queueMax: UInt64, segmentSize: UInt32,
                      actual: [String]) -> Queue {
        guard let requested = WalSegmentName(walName) else { return Queue(need: [], remove: []) }
        var segment = found ? requested.next(segmentSize: segmentSize) : requested
        let total = max(2, Int(min(queueMax / UInt64(max(1, segmentSize)), 1 << 20)))
        var ideal: [String] = []
        for _ in 0..<total {
            ideal.append(segment.name)
            segment = segment.next(segmentSize: segmentSize)
        }
        let idealSet = Set(ideal)
        let actualSet = Set(actual)
        var keep: Set<String> = []
        var remove: [String] = []
        for file in actual.sorted(by: ByteOrder.precedes) {
            if idealSet.contains(file) {
                keep.insert(file)
            } else if file.hasSuffix(ArchiveSpool.okExtension),
                      actualSet.contains(String(file.dropLast(ArchiveSpool.okExtension.count))) {
                continue
            } else {
                remove.append(file)
            }
        }
        return Queue(need: ideal.filter { !keep.contains($0) }, remove: remove)
    }

    /// Whether the queue is at least half full after a segment was taken: pgBackRest then starts no worker.
    static func queueFull(segmentsQueued: Int, segmentSize: UInt64, queueMax: UInt64) -> Bool {
        UInt64(segmentsQueued) * segmentSize > queueMax / 2
    }

    /// `get 3 WAL file(s) from archive: A...C`.
    static func startMessage(_ names: [String]) -> String {
        guard let first = names.first, let last = names.last else { return "get 0 WAL file(s) from archive" }
        return "get \(names.count) WAL file(s) from archive: \(first)" + (names.count == 1 ? "" : "...\(last)")
    }
}
