/// The arithmetic and text of a live progress display, apart from any output: bytes and files done out of a total,
/// percent, rate (bytes per second since the start), ETA, when to redraw, and which 10% steps were crossed. Pure:
/// the caller passes monotonic seconds.
struct ProgressMeter: Sendable, Equatable {
    let totalBytes: UInt64
    let totalFiles: Int
    /// Monotonic seconds at the start.
    let start: Double
    /// Minimum seconds between two redraws of a terminal line.
    var redrawInterval: Double = 0.25

    private(set) var doneBytes: UInt64 = 0
    private(set) var doneFiles = 0
    /// The highest multiple of 10 percent already reported.
    private(set) var reportedStep = 0
    private var lastDraw: Double?

    init(totalBytes: UInt64, totalFiles: Int, start: Double) {
        self.totalBytes = totalBytes
        self.totalFiles = totalFiles
        self.start = start
    }

    /// What one advance asks the caller to do.
    struct Update: Sendable, Equatable {
        /// Redraw the terminal line (throttled; always on completion).
        var redraw: Bool
        /// A 10% step newly reached (10, 20, … 100), for a log line off a terminal; the highest when several.
        var step: Int?
    }

    /// Bytes-weighted percent; by files when there are no bytes at all.
    var percent: Double {
        if totalBytes > 0 { return min(100, Double(doneBytes) * 100 / Double(totalBytes)) }
        return totalFiles > 0 ? min(100, Double(doneFiles) * 100 / Double(totalFiles)) : 100
    }

    var isComplete: Bool { doneFiles >= totalFiles && doneBytes >= totalBytes }

    /// Bytes per second since the start (0 before any time has passed).
    func rate(now: Double) -> Double {
        let elapsed = now - start
        return elapsed > 0 ? Double(doneBytes) / elapsed : 0
    }

    /// Seconds left at the current rate; nil while the rate is unknown.
    func eta(now: Double) -> Double? {
        if isComplete { return 0 }
        let rate = rate(now: now)
        guard rate > 0 else { return nil }
        return Double(totalBytes - min(doneBytes, totalBytes)) / rate
    }

    mutating func advance(bytes: UInt64, files: Int = 1, now: Double) -> Update {
        doneBytes += bytes
        doneFiles += files
        let step = Int(percent / 10) * 10
        var update = Update(redraw: false, step: nil)
        if step > reportedStep {
            reportedStep = step
            update.step = step
        }
        if isComplete || lastDraw.map({ now - $0 >= redrawInterval }) ?? true {
            lastDraw = now
            update.redraw = true
        }
        return update
    }

    /// `45.2% 1.2GB/2.6GB 35.1MB/s 120/400 files ETA 0:00:41`.
    func line(now: Double) -> String {
        let rate = UInt64(max(0, rate(now: now)).rounded())
        let eta = eta(now: now).map(Self.duration) ?? "--:--:--"
        return "\(Self.percentText(percent))% \(BackupSizeFormat.render(doneBytes))/\(BackupSizeFormat.render(totalBytes)) "
            + "\(BackupSizeFormat.render(rate))/s \(doneFiles)/\(totalFiles) files ETA \(eta)"
    }

    /// One decimal: `7.5`, `100.0`.
    static func percentText(_ percent: Double) -> String {
        let tenths = Int((percent * 10).rounded(.down))
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// `h:mm:ss`, rounded up to the second.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        let minutes = total / 60 % 60
        let secs = total % 60
        return "\(total / 3600):\(minutes < 10 ? "0" : "")\(minutes):\(secs < 10 ? "0" : "")\(secs)"
    }
}
