/// The exporter's view of the repositories: collected facts reused for `refreshSeconds`, so scrapes (every 15–60 s
/// from Prometheus, more with several replicas) never turn into a GET storm on S3. Concurrent scrapes that find the
/// cache stale share one collection. The backup lock is re-read on every scrape (a local file), so in-progress
/// backups show at once.
actor ExporterCache {
    private let collector: MetricsCollector
    private let refreshSeconds: Double
    private let clock = ContinuousClock()
    private var facts: [MetricsFacts] = []
    private var collectedAt: ContinuousClock.Instant?
    private var inFlight: Task<[MetricsFacts], Never>?

    init(collector: MetricsCollector, refreshSeconds: Double) {
        self.collector = collector
        self.refreshSeconds = refreshSeconds
    }

    /// True once a first collection completed (what `/healthz` reports).
    var isReady: Bool { collectedAt != nil }

    func current() async -> [MetricsFacts] {
        if let collectedAt, clock.now - collectedAt < .seconds(refreshSeconds) {
            return await collector.refreshLocks(facts)
        }
        let task: Task<[MetricsFacts], Never>
        if let inFlight {
            task = inFlight
        } else {
            let collector = self.collector
            task = Task { await collector.collect() }
            inFlight = task
        }
        let fresh = await task.value
        if inFlight == task {
            facts = fresh
            collectedAt = clock.now
            inFlight = nil
        }
        return await collector.refreshLocks(fresh)
    }
}
