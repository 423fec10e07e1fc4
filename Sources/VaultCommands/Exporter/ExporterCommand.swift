import Glibc
import VaultMetrics

/// `exporter` (pgvault's own): serves `/metrics` (the samples of `metrics`, from an `ExporterCache` refreshed every
/// `--exporter-refresh` seconds) and `/healthz` (`ok` once the first collection finished, 503 before) over HTTP on `--listen`
/// (default 127.0.0.1:9854; port 0 picks a free port). Prints `listening on <host>:<port>` once bound, then runs
/// until the process is signalled.
public struct ExporterCommand: VaultCommand {
    public static let name = "exporter"
    /// How long collected repository facts are reused.

    public init() {}

    public func run(_ context: CommandContext) async throws -> Int32 {
        let address = try ListenAddress(parsing: context.config.string("listen") ?? "127.0.0.1:9854")
        let refresh = Double(context.config.int("exporter-refresh") ?? 60)
        let cache = ExporterCache(collector: MetricsCollector(context: context), refreshSeconds: refresh)
        let server = try await MetricsHTTPServer.bind(host: address.host, port: address.port)
        context.output.line("listening on \(address.host):\(server.port)")
        context.logger.notice("exporter listening on \(address.host):\(server.port)")
        Task { _ = await cache.current() }
        try await server.serve { path in await Self.respond(path, cache: cache) }
        return 0
    }

    static func respond(_ path: String, cache: ExporterCache) async -> MetricsHTTPServer.Response {
        switch path {
        case "/metrics":
            let samples = MetricsPlan(now: Int64(time(nil))).samples(await cache.current())
            return MetricsHTTPServer.Response(status: 200, contentType: PrometheusExposition.contentType,
                                              body: PrometheusExposition.render(samples))
        case "/healthz":
            return await cache.isReady ? MetricsHTTPServer.Response(status: 200, body: "ok\n")
                : MetricsHTTPServer.Response(status: 503, body: "collecting\n")
        default:
            return MetricsHTTPServer.Response(status: 404, body: "not found: try /metrics or /healthz\n")
        }
    }
}
