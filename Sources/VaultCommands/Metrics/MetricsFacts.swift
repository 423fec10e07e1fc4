/// What `metrics` and `exporter` know about one stanza: the info facts (backup.info, archive.info, WAL ranges,
/// the backup lock) plus, per repository, what info does not load: the stored verify status and the modification
/// time of the newest archived WAL segment. Gathered by `MetricsCollector`, turned into samples by `MetricsPlan`.
public struct MetricsFacts: Sendable {
    public var info: InfoStanzaFacts
    /// By repository key.
    public var repos: [Int: Repo]

    public init(info: InfoStanzaFacts, repos: [Int: Repo] = [:]) {
        self.info = info
        self.repos = repos
    }

    public struct Repo: Sendable, Equatable {
        /// The last verify result stored in the repository, absent when verify never ran there.
        var verify: VerifyStatusFile?
        /// Unix seconds: modification time of the newest archived segment of the current archive id.
        public var walMaxTimestamp: Int64?

        init(verify: VerifyStatusFile? = nil, walMaxTimestamp: Int64? = nil) {
            self.verify = verify
            self.walMaxTimestamp = walMaxTimestamp
        }
    }
}
