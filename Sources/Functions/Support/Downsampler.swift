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
///
/// Overflow-free by construction for any `Int64` inputs: spans and offsets are computed as unsigned
/// differences (a later time minus an earlier one always fits in `UInt64`), and a bucket's start
/// lies between `from` and `to`.
public enum Downsampler {
    public static func bucketWidth(from: Int64, to: Int64, maxPoints: Int, intervalMs: Int64?) -> Int64 {
        Int64(clamping: width(from: from, to: to, maxPoints: maxPoints, intervalMs: intervalMs))
    }

    /// The smallest width that fits `[from, to]` into `maxPoints` buckets, `ceil((d + 1) / p)`,
    /// computed as `d / p + 1` so that it cannot overflow (saturating at `UInt64.max`), or
    /// `intervalMs` if larger.
    static func width(from: Int64, to: Int64, maxPoints: Int, intervalMs: Int64?) -> UInt64 {
        let points = UInt64(max(1, maxPoints))
        let (fitting, overflow) = (distance(from: from, to: to) / points).addingReportingOverflow(1)
        return max(overflow ? .max : fitting, UInt64(max(1, intervalMs ?? 1)))
    }

    /// `to - from` for `from <= to` (0 otherwise), exact over the whole `Int64` range.
    static func distance(from: Int64, to: Int64) -> UInt64 {
        to >= from ? UInt64(bitPattern: to &- from) : 0
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
        let width = Self.width(from: from, to: to, maxPoints: maxPoints, intervalMs: intervalMs)
        // d / width < maxPoints by the choice of width; the clamp only matters when it saturated.
        let lastBucket = UInt64(max(1, maxPoints)) - 1
        var result: [(time: Int64, value: Double)] = []
        var bucket: UInt64 = .max
        var firstTime: Int64 = 0
        var values: [Double] = []
        values.reserveCapacity(16)
        func flush() {
            guard !values.isEmpty else { return }
            // bucket * width <= time - from <= to - from: no overflow, and the start is within range.
            let time = values.count == 1 ? firstTime : from &+ Int64(bitPattern: bucket &* width)
            result.append((time, aggregate.reduce(&values)))
        }
        for point in points where point.time >= from && point.time <= to && point.value.isFinite {
            let index = min(distance(from: from, to: point.time) / width, lastBucket)
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
