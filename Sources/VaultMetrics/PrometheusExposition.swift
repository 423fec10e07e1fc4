import CoreMetrics
import Prometheus

/// Renders gauge samples in the Prometheus text exposition format (version 0.0.4). Each call records the samples
/// through the swift-metrics `Gauge` API into a fresh swift-prometheus `PrometheusCollectorRegistry` (so a series
/// that disappeared from the repository disappears from the output) and emits that registry. No global
/// `MetricsSystem` bootstrap: the factory is passed explicitly.
public enum PrometheusExposition {
    /// The `Content-Type` of the text format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func render(_ samples: [MetricSample]) -> String {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        for sample in samples {
            Gauge(label: sample.name, dimensions: sample.labels, factory: factory).record(sample.value)
        }
        return registry.emitToString()
    }
}
