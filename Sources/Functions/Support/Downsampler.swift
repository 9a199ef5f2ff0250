/// How the points that fall into one bucket become one value.
public enum Aggregate: String, Sendable, CaseIterable {
    case avg, min, max, p95

    /// Folds a non-empty bucket.
    func reduce(_ values: inout [Double]) -> Double {
        switch self {
        case .avg: return values.reduce(0, +) / Double(values.count)
        case .min: return values.min()!
        case .max: return values.max()!
        case .p95:
            // Nearest rank: the smallest value with at least 95 % of the bucket at or below it.
            values.sort()
            let rank = Int((0.95 * Double(values.count)).rounded(.up))
            return values[Swift.max(0, Swift.min(values.count, rank) - 1)]
        }
    }
}

/// Reduces a series to at most `maxPoints` points so panels never get more than they asked for.
///
/// Buckets start at `from` and are `width` wide, where `width` is the larger of Grafana's
/// `intervalMs` and the smallest width that fits the range into `maxPoints` buckets; each
/// non-empty bucket becomes one point stamped with the bucket's start (a bucket holding a single
/// point keeps that point's own time, so sparse series such as per-day availability stay on their
/// day boundaries).
public enum Downsampler {
    public static func bucketWidth(from: Int64, to: Int64, maxPoints: Int, intervalMs: Int64?) -> Int64 {
        let span = to - from + 1
        let fitting = (span + Int64(maxPoints) - 1) / Int64(max(1, maxPoints))
        return max(1, fitting, intervalMs ?? 1)
    }

    /// - Parameter points: ascending by time; points outside `[from, to]` are dropped.
    public static func downsample(
        _ points: [(time: Int64, value: Double)],
        from: Int64,
        to: Int64,
        maxPoints: Int,
        intervalMs: Int64?,
        aggregate: Aggregate
    ) -> [(time: Int64, value: Double)] {
        let width = bucketWidth(from: from, to: to, maxPoints: maxPoints, intervalMs: intervalMs)
        var result: [(time: Int64, value: Double)] = []
        var bucket: Int64 = -1
        var firstTime: Int64 = 0
        var values: [Double] = []
        values.reserveCapacity(16)
        func flush() {
            guard !values.isEmpty else { return }
            let time = values.count == 1 ? firstTime : from + bucket * width
            result.append((time, aggregate.reduce(&values)))
        }
        for point in points where point.time >= from && point.time <= to && point.value.isFinite {
            let index = (point.time - from) / width
            if index != bucket {
                flush()
                values.removeAll(keepingCapacity: true)
                bucket = index
                firstTime = point.time
            }
            values.append(point.value)
        }
        flush()
        return result
    }
}
