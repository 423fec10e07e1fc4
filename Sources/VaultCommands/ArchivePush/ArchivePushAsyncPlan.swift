import VaultRepository

/// The async archive-push worker's decisions, made from directory listings and sizes without any I/O.
enum ArchivePushAsyncPlan {
    static let readyExtension = ".ready"

    /// What one pass of the worker does with the spool.
    struct ProcessList: Sendable, Equatable {
        /// Ready WAL without an `.ok`, oldest first: to push.
        var push: [String]
        /// Spool `out` entries to remove: anything not ending in `.ok` (errors of an earlier run, stray files) unless
        /// `keepErrors`, and `.ok` files whose WAL PostgreSQL no longer lists as ready (it has recycled them).
        var remove: [String]
    }

    /// The WAL names of the `.ready` entries in `pg_wal/archive_status`, oldest first.
    static func readyNames(_ archiveStatus: [String]) -> [String] {
        archiveStatus.filter { $0.hasSuffix(readyExtension) && $0.count > readyExtension.count }
            .map { String($0.dropLast(readyExtension.count)) }
            .sorted(by: ByteOrder.precedes)
    }

    /// pgBackRest's `archivePushProcessList`: from the ready WAL and the spool `out` listing. A worker's later
    /// passes keep the errors it wrote itself (`keepErrors`) so the foreground can read them.
    static func processList(ready: [String], spoolOut: [String], keepErrors: Bool = false) -> ProcessList {
        let readySet = Set(ready)
        var ok: Set<String> = []
        var remove: [String] = []
        for name in spoolOut.sorted(by: ByteOrder.precedes) {
            guard name.hasSuffix(ArchiveSpool.okExtension) else {
                if !keepErrors { remove.append(name) }
                continue
            }
            let wal = String(name.dropLast(ArchiveSpool.okExtension.count))
            if readySet.contains(wal) { ok.insert(wal) } else { remove.append(name) }
        }
        return ProcessList(push: ready.filter { !ok.contains($0) }, remove: remove)
    }

    /// archive-push-queue-max: true when the WAL waiting to be pushed (sizes in push order) exceeds `queueMax`
    /// bytes; then every one of them is dropped, as pgBackRest does.
    static func exceedsQueue(sizes: [UInt64], queueMax: UInt64) -> Bool {
        var total: UInt64 = 0
        for size in sizes {
            total += size
            if total > queueMax { return true }
        }
        return false
    }

    /// pgBackRest's warning for a dropped file, also the content of its `.ok`.
    static func dropWarning(walName: String, queueMax: UInt64) -> String {
        "dropped WAL file '\(walName)' because archive queue exceeded \(InfoSizeFormat.format(queueMax))"
    }

    /// `push 3 WAL file(s) to archive: A...C` (one name when there is one).
    static func startMessage(_ names: [String]) -> String {
        guard let first = names.first, let last = names.last else { return "push 0 WAL file(s) to archive" }
        return "push \(names.count) WAL file(s) to archive: \(first)" + (names.count == 1 ? "" : "...\(last)")
    }
}
