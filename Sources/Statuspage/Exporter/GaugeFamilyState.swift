import PrometheusExposition

/// The series of one exporter gauge, as `prometheus_client` keeps them: one value per label set,
/// in the order each label set was first set; setting an existing label set again changes its
/// value, not its place.
struct GaugeFamilyState: Sendable {
    struct Series: Sendable {
        /// Values in the family's declared label order.
        var labelValues: [String]
        var value: Double
        /// When this run or an earlier one last set it (milliseconds since the epoch).
        var lastSetMilliseconds: Int64
    }

    let family: StatuspageMetricFamily
    /// The HELP text (the family's, unless the exporter's settings change it).
    var help: String
    /// Declared label positions sorted by label name: the exporter's client library writes
    /// labels sorted by name, whatever their declared order.
    private let outputOrder: [Int]
    private var positions: [[String]: Int] = [:]
    private(set) var series: [Series] = []

    init(_ family: StatuspageMetricFamily) {
        self.family = family
        self.help = family.help
        let names = family.labelNames
        self.outputOrder = names.indices.sorted { names[$0] < names[$1] }
    }

    mutating func set(_ labelValues: [String], _ value: Double, atMilliseconds now: Int64) {
        precondition(labelValues.count == family.labelNames.count)
        if let position = positions[labelValues] {
            series[position].value = value
            series[position].lastSetMilliseconds = now
        } else {
            positions[labelValues] = series.count
            series.append(Series(labelValues: labelValues, value: value, lastSetMilliseconds: now))
        }
    }

    mutating func clear() {
        positions.removeAll(keepingCapacity: true)
        series.removeAll(keepingCapacity: true)
    }

    /// Drops the series nobody set since `cutoff` (bounded memory for a long-lived process).
    mutating func removeSeries(notSetSince cutoff: Int64) {
        guard series.contains(where: { $0.lastSetMilliseconds < cutoff }) else { return }
        series.removeAll { $0.lastSetMilliseconds < cutoff }
        positions = Dictionary(uniqueKeysWithValues: series.enumerated().map { ($1.labelValues, $0) })
    }

    /// HELP, TYPE and every series, labels sorted by name.
    func write(into writer: inout PrometheusTextWriter) {
        writer.family(family.name, help: help, type: .gauge)
        let names = family.labelNames
        for entry in series {
            writer.sample(labels: outputOrder.map { (names[$0], entry.labelValues[$0]) }, value: entry.value)
        }
    }
}
