import OpenTSDB

/// The last delivered timestamp of every series, in milliseconds since the epoch.
///
/// A point is new when its series has no entry or its time is after the entry; delivering a
/// batch raises the entries of its series. Entries older than the retention are pruned, so the
/// file stays as large as the set of live series.
public struct Checkpoint: Sendable, Equatable {
    /// Last delivered time per series.
    public private(set) var series: [SeriesKey: Int64]
    /// Per source, the end of the last window it completed (every point it had up to there is
    /// delivered). A run after missed runs starts the source here instead of at its look-back,
    /// so the gap is filled: the series entries alone are high-water marks and cannot tell a gap.
    public var sourceMarks: [String: Int64]

    /// A checkpoint with these entries (empty: nothing delivered yet).
    public init(series: [SeriesKey: Int64] = [:], sourceMarks: [String: Int64] = [:]) {
        self.series = series
        self.sourceMarks = sourceMarks
    }

    /// The last delivered time of `key`, if any.
    public subscript(key: SeriesKey) -> Int64? { series[key] }

    /// Whether `point` is after everything delivered for its series.
    public func isNew(_ point: DataPoint) -> Bool {
        guard let last = series[point.series] else { return true }
        return point.milliseconds > last
    }

    /// Records `points` as delivered (entries only move forward).
    public mutating func advance(past points: some Sequence<DataPoint>) {
        for point in points {
            let key = point.series
            if let last = series[key], last >= point.milliseconds { continue }
            series[key] = point.milliseconds
        }
    }

    /// Drops entries last delivered before `cutoff` (ms); returns how many.
    @discardableResult
    public mutating func prune(before cutoff: Int64) -> Int {
        let before = series.count
        series = series.filter { $0.value >= cutoff }
        return before - series.count
    }
}
