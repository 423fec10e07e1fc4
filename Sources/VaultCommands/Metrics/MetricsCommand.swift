import Glibc
import VaultMetrics

/// `metrics` (pgvault's own): collects the repositories' facts once and prints them in the Prometheus text format,
/// for node_exporter's textfile collector (`pgvault metrics > /var/lib/node_exporter/pgvault.prom.tmp && mv …`).
/// `--stanza` limits the output to one stanza, `--repo` to one repository.
public struct MetricsCommand: VaultCommand {
    public static let name = "metrics"
    public init() {}

    public func run(_ context: CommandContext) async throws -> Int32 {
        let collector = MetricsCollector(context: context)
        let facts = await collector.refreshLocks(await collector.collect())
        let text = PrometheusExposition.render(MetricsPlan(now: Int64(time(nil))).samples(facts))
        context.output.write(text)
        return 0
    }
}
