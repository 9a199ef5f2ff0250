/// Writes the Prometheus text exposition format 0.0.4 into a byte buffer the caller owns.
///
/// ```swift
/// var writer = PrometheusTextWriter()
/// writer.family("statuspage_service_status", help: "Status of monitored services", type: .gauge)
/// writer.sample("statuspage_service_status", labels: [("service_name", "Example Cloud")], value: 1)
/// let body = writer.bytes  // "# HELP …\n# TYPE …\nstatuspage_service_status{service_name=\"Example Cloud\"} 1\n"
/// ```
///
/// The hot path appends bytes; it builds no intermediate strings (swift-prometheus does the
/// same). Everything the format needs is handled here: HELP escaping (`\\`, `\n`), label value
/// escaping (`\\`, `\"`, `\n`), `NaN`/`+Inf`/`-Inf`, integer millisecond timestamps.
///
/// ## Families must not interleave
///
/// The format requires all lines of one metric family in one uninterrupted group, `# HELP` and
/// `# TYPE` first, each at most once. So: call ``family(_:help:type:)`` once per family, then
/// every ``sample(_:labels:value:timestampMilliseconds:)`` of that family, then the next family.
/// A sample whose name does not belong to the current family, a family declared twice, and an
/// invalid metric or label name are programmer errors and stop the process (`precondition`),
/// as in swift-prometheus: names here are constants in code, never input.
///
/// Label values and HELP text may be anything (they are escaped). The writer does not detect
/// two samples with the same label set; keeping series unique is the caller's job.
public struct PrometheusTextWriter: Sendable {
    /// `Content-Type` of what this writer produces.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The exposition so far. Every line written ends with `\n`, as the format requires of the
    /// last line too.
    public private(set) var bytes: [UInt8]

    private var current: (name: String, type: MetricType)?
    private var declared: Set<String> = []

    /// A writer appending to `buffer` (empty by default), e.g. a reused buffer with capacity.
    public init(appendingTo buffer: [UInt8] = []) {
        self.bytes = buffer
    }

    /// A writer whose empty buffer has room for `capacity` bytes.
    public init(reservingCapacity capacity: Int) {
        self.bytes = []
        self.bytes.reserveCapacity(capacity)
    }

    /// Starts a metric family: writes `# HELP` (when `help` is not `nil`) and `# TYPE`.
    ///
    /// A family may have no samples at all (Prometheus' own client libraries write the HELP and
    /// TYPE of a labelled metric that has no series yet, and parsers accept it).
    public mutating func family(_ name: String, help: String?, type: MetricType) {
        precondition(PrometheusName.isValidMetricName(name), "invalid metric name '\(name)'")
        precondition(declared.insert(name).inserted, "metric family '\(name)' declared twice")
        if let help {
            bytes.append(contentsOf: "# HELP ".utf8)
            bytes.append(contentsOf: name.utf8)
            bytes.append(UInt8(ascii: " "))
            Escaping.appendHelp(help, to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        bytes.append(contentsOf: "# TYPE ".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: type.rawValue.utf8)
        bytes.append(UInt8(ascii: "\n"))
        current = (name, type)
    }

    /// Writes one sample of the current family.
    ///
    /// - Parameters:
    ///   - name: the family name, or for histograms and summaries the family name plus
    ///     `_bucket`, `_sum` or `_count`.
    ///   - labels: label names and values, written in this order (give `le`/`quantile` last by
    ///     convention). Names must be valid label names; values are escaped.
    ///   - value: any double; `NaN` and infinities are spelled as Prometheus expects.
    ///   - timestampMilliseconds: optional sample time in milliseconds since the epoch (0.0.4
    ///     timestamps are integers; usually omitted so that the scrape time applies).
    public mutating func sample(
        _ name: String,
        labels: [(String, String)] = [],
        value: Double,
        timestampMilliseconds: Int64? = nil
    ) {
        guard let current else { preconditionFailure("sample '\(name)' written before any family") }
        precondition(
            current.type.admits(sample: name, family: current.name),
            "sample '\(name)' does not belong to the current family '\(current.name)' (\(current.type))"
        )
        bytes.append(contentsOf: name.utf8)
        if !labels.isEmpty {
            bytes.append(UInt8(ascii: "{"))
            for (index, (label, labelValue)) in labels.enumerated() {
                precondition(PrometheusName.isValidLabelName(label), "invalid label name '\(label)'")
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(contentsOf: label.utf8)
                bytes.append(contentsOf: "=\"".utf8)
                Escaping.appendLabelValue(labelValue, to: &bytes)
                bytes.append(UInt8(ascii: "\""))
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
        SampleValue.append(value, to: &bytes)
        if let timestampMilliseconds {
            bytes.append(UInt8(ascii: " "))
            SampleValue.appendInteger(timestampMilliseconds, to: &bytes)
        }
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Writes one sample of the current family under the family's own name.
    public mutating func sample(labels: [(String, String)] = [], value: Double, timestampMilliseconds: Int64? = nil) {
        guard let current else { preconditionFailure("sample written before any family") }
        sample(current.name, labels: labels, value: value, timestampMilliseconds: timestampMilliseconds)
    }
}
