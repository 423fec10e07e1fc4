import Testing
import VaultMetrics

@Suite struct PrometheusExpositionTests {
    @Test func gaugesWithLabelsInTheTextFormat() {
        let text = PrometheusExposition.render([
            MetricSample("pgbackrest_last_backup_timestamp", [("stanza", "main"), ("repo", "1"), ("type", "full")], 1_795_683_924),
            MetricSample("pgbackrest_last_backup_timestamp", [("stanza", "main"), ("repo", "1"), ("type", "diff")], 1_795_683_928),
            MetricSample("pgbackrest_stanza_status", [("stanza", "main")], 0),
        ])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0 == "# TYPE pgbackrest_last_backup_timestamp gauge" }.count == 1)
        #expect(lines.contains(#"pgbackrest_last_backup_timestamp{stanza="main",repo="1",type="full"} 1795683924.0"#))
        #expect(lines.contains(#"pgbackrest_last_backup_timestamp{stanza="main",repo="1",type="diff"} 1795683928.0"#))
        #expect(lines.contains(#"pgbackrest_stanza_status{stanza="main"} 0.0"#))
    }

    @Test func eachRenderStartsFromAnEmptyRegistry() {
        _ = PrometheusExposition.render([MetricSample("pgbackrest_backup_in_progress", [("stanza", "old")], 1)])
        let text = PrometheusExposition.render([MetricSample("pgbackrest_backup_in_progress", [("stanza", "new")], 0)])
        #expect(!text.contains("old"))
        #expect(text.contains(#"stanza="new""#))
    }
}
