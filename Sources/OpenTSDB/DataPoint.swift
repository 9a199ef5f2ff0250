/// One OpenTSDB datapoint as `/api/put` takes it: a metric, an integer timestamp, a value and
/// string tags.
///
/// Timestamps are integers and tag values strings on purpose: InfluxDB 1.x refuses a whole
/// request with one float timestamp, and VictoriaMetrics silently drops rows with numeric tag
/// values (`VictoriaMetrics/VictoriaMetrics` `lib/protoparser/opentsdbhttp/parser.go`).
public struct DataPoint: Sendable, Hashable {
    /// The metric name, e.g. `catchpoint.testdata.DNS.ms`.
    public var metric: String
    /// Seconds or milliseconds since the epoch, as ``precision`` says.
    public var timestamp: Int64
    /// What ``timestamp`` counts.
    public var precision: TimestampPrecision
    /// The value; must be finite to be sent.
    public var value: Double
    /// Tag keys and values; OpenTSDB needs at least one and by default allows eight.
    public var tags: [String: String]

    /// A datapoint.
    public init(
        metric: String,
        timestamp: Int64,
        precision: TimestampPrecision = .seconds,
        value: Double,
        tags: [String: String]
    ) {
        self.metric = metric
        self.timestamp = timestamp
        self.precision = precision
        self.value = value
        self.tags = tags
    }

    /// The timestamp in milliseconds, whatever the precision: how points of different
    /// precision are ordered and compared.
    public var milliseconds: Int64 {
        switch precision {
        case .seconds: timestamp.multipliedReportingOverflow(by: 1000).partialValue
        case .milliseconds: timestamp
        }
    }

    /// The series this point belongs to: metric plus tags, independent of time and value.
    public var series: SeriesKey { SeriesKey(metric: metric, tags: tags) }
}
