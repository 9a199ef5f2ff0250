/// The `# TYPE` of a metric family in the Prometheus text format 0.0.4.
///
/// OpenMetrics' `info`, `stateset` and `unknown` are missing on purpose: the 0.0.4 parser (and so
/// `promtool check metrics`) rejects them. An info metric is a ``gauge`` named `*_info` with
/// value 1.
public enum MetricType: String, Sendable, Hashable, CaseIterable {
    case counter
    case gauge
    case histogram
    case summary
    case untyped

    /// The sample names a family of this type may contain, besides nothing else: a histogram
    /// `x` has `x_bucket`, `x_sum` and `x_count`; a summary has `x`, `x_sum` and `x_count`; the
    /// others only `x`.
    func admits(sample: String, family: String) -> Bool {
        if sample == family { return self != .histogram }
        guard sample.utf8.count > family.utf8.count, sample.hasPrefix(family) else { return false }
        let suffix = sample.utf8.dropFirst(family.utf8.count)
        switch self {
        case .histogram:
            return suffix.elementsEqual("_bucket".utf8) || suffix.elementsEqual("_sum".utf8)
                || suffix.elementsEqual("_count".utf8)
        case .summary:
            return suffix.elementsEqual("_sum".utf8) || suffix.elementsEqual("_count".utf8)
        case .counter, .gauge, .untyped:
            return false
        }
    }
}
