/// One Prometheus gauge sample: a metric name, its labels and a value.
public struct MetricSample: Sendable, Equatable {
    public let name: String
    public let labels: [(String, String)]
    public let value: Double

    public init(_ name: String, _ labels: [(String, String)], _ value: Double) {
        self.name = name
        self.labels = labels
        self.value = value
    }

    public static func == (lhs: MetricSample, rhs: MetricSample) -> Bool {
        lhs.name == rhs.name && lhs.value == rhs.value
            && lhs.labels.map { $0.0 } == rhs.labels.map { $0.0 } && lhs.labels.map { $0.1 } == rhs.labels.map { $0.1 }
    }
}
