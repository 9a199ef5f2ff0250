import BetterStack
import FastCGIRuntime
import Synchronization
import TTLCache

/// A monitor's `/response_time` answer, encoded once: every row of every region, merged in the
/// answer's order (ascending time, region code breaking ties), as the JSON the function writes,
/// with each row's offset. An answer for a time range is then two binary searches and one copy of
/// the bytes between them; for some of the regions, a copy of their rows in that range. Nothing is
/// formatted per request.
///
/// Built from the cached ``ResponseTimes`` on first use and kept beside it in the same cache entry
/// (``ResponseTimesEntry``), so it lives and expires with the data it encodes. The form with the
/// four phase timings (`fields=phases`) is encoded the first time one asks for it.
public final class ResponseTimeRows: Sendable {
    /// Region codes in answer order (ascending).
    let regions: [String]
    /// Per row, in answer order: its time and its region's index in ``regions``.
    let times: [Int64]
    let regionOfRow: [UInt8]
    private let plain: EncodedRows
    private let phased: Mutex<EncodedRows?>
    private let model: ResponseTimes

    /// Rows as one JSON array: `bytes` is `[row,row,…]`; row `i` is `bytes[bounds[i] ..< bounds[i + 1] - 1]`.
    struct EncodedRows: Sendable {
        var bytes: [UInt8]
        var bounds: [Int32]

        /// `[` + the rows `range` + `]`, one copy.
        func slice(_ range: Range<Int>) -> [UInt8] {
            guard !range.isEmpty else { return Array("[]".utf8) }
            let start = Int(bounds[range.lowerBound])
            let end = Int(bounds[range.upperBound]) - 1
            var out = [UInt8]()
            out.reserveCapacity(end - start + 2)
            out.append(UInt8(ascii: "["))
            out.append(contentsOf: bytes[start..<end])
            out.append(UInt8(ascii: "]"))
            return out
        }

        /// `[` + the rows at `indices` (ascending) + `]`.
        func rows(_ indices: [Int]) -> [UInt8] {
            var out = [UInt8]()
            out.reserveCapacity(indices.reduce(2) { $0 + Int(bounds[$1 + 1] - bounds[$1]) })
            out.append(UInt8(ascii: "["))
            for (position, index) in indices.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: bytes[Int(bounds[index])..<Int(bounds[index + 1]) - 1])
            }
            out.append(UInt8(ascii: "]"))
            return out
        }

        var byteCount: Int { bytes.count + bounds.count * 4 }
    }

    init(_ times: ResponseTimes) {
        let sorted = times.regions.sorted { $0.region < $1.region }
        let rows = ResponseTime.mergedByTime(sorted.map(\.points))
        model = ResponseTimes(monitorID: times.monitorID, regions: sorted)
        regions = sorted.map(\.region)
        self.times = rows.map(\.1.at)
        regionOfRow = rows.map { UInt8(truncatingIfNeeded: $0.0) }
        plain = Self.encode(rows, regions: sorted.map(\.region), phases: [])
        phased = Mutex(nil)
    }

    /// The answer for rows with `from <= time <= to` (either end open) from `regions` (all when
    /// nil), with the four phases in their canonical order or none.
    func answer(regions selected: Set<String>?, from: Int64?, to: Int64?, withPhases: Bool) -> [UInt8] {
        let lower = from.map { bound in Self.firstIndex(in: times) { $0 >= bound } } ?? 0
        let upper = to.map { bound in Self.firstIndex(in: times) { $0 > bound } } ?? times.count
        let range = lower..<max(lower, upper)
        let rows = withPhases ? phasedRows() : plain
        // Region codes may repeat upstream (rare); 255 regions at most are indexed.
        guard let selected, regions.count < 256 else { return rows.slice(range) }
        let mask = regions.map { selected.contains($0) }
        if mask.allSatisfy({ $0 }) { return rows.slice(range) }
        return rows.rows(range.filter { mask[Int(regionOfRow[$0])] })
    }

    /// The bytes this holds (for the cache's byte bound).
    var byteCount: Int {
        times.count * 9 + plain.byteCount + (phased.withLock { $0?.byteCount } ?? 0)
    }

    private func phasedRows() -> EncodedRows {
        if let rows = phased.withLock({ $0 }) { return rows }
        let sorted = model.regions
        let rows = Self.encode(ResponseTime.mergedByTime(sorted.map(\.points)), regions: sorted.map(\.region), phases: ResponseTime.phaseNames)
        phased.withLock { if $0 == nil { $0 = rows } }
        return rows
    }

    /// The rows as ``ResponseTime`` writes them, byte for byte.
    private static func encode(_ rows: [(Int, ResponseTimePoint)], regions: [String], phases: [String]) -> EncodedRows {
        var json = JSONWriter(capacity: rows.count * (64 + 24 * phases.count) + 2)
        var bounds: [Int32] = []
        bounds.reserveCapacity(rows.count + 1)
        json.beginArray()
        bounds.append(1)
        for (regionIndex, point) in rows {
            ResponseTime.writeRow(point, region: regions[regionIndex], phases: phases, into: &json)
            bounds.append(Int32(json.bytes.count + 1))
        }
        json.endArray()
        return EncodedRows(bytes: json.bytes, bounds: bounds)
    }

    /// The first index whose element satisfies `predicate`, which is false then true along `values`.
    static func firstIndex(in values: [Int64], where predicate: (Int64) -> Bool) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if predicate(values[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// A monitor's response times as the cache holds them: the model (for `/query`, `/metrics` and
/// the file cache) and, once asked for, the encoded `/response_time` rows.
public final class ResponseTimesEntry: Sendable, Codable, FileCacheCompactCodable {
    public let model: ResponseTimes
    private let rows = Mutex<ResponseTimeRows?>(nil)
    /// `/query`'s encoded points by region index and metric, each built on first use.
    private let series = Mutex<[SeriesKey: EncodedSeries]>([:])

    private struct SeriesKey: Hashable {
        var region: Int
        var metric: Metric
    }

    public init(_ model: ResponseTimes) { self.model = model }

    /// The encoded rows, built on first use.
    var encodedRows: ResponseTimeRows {
        if let built = rows.withLock({ $0 }) { return built }
        let built = ResponseTimeRows(model)
        return rows.withLock { current in
            if let current { return current }
            current = built
            return built
        }
    }

    /// One region's points of one metric as `/query` writes them (``EncodedSeries``), built on
    /// first use. `region` indexes ``model``'s regions.
    func encodedSeries(region: Int, metric: Metric) -> EncodedSeries {
        let key = SeriesKey(region: region, metric: metric)
        if let built = series.withLock({ $0[key] }) { return built }
        let built = EncodedSeries(model.regions[region].points, metric: metric)
        return series.withLock { all in
            if let current = all[key] { return current }
            all[key] = built
            return built
        }
    }

    /// What the cache accounts for the entry: the model's points, the rows' bytes and one metric's
    /// `/query` points, counted when the entry is stored (estimated then from the points: ~70 bytes
    /// a row, ~36 a `/query` point with its time and offset).
    static func cost(_ entry: ResponseTimesEntry) -> Int {
        let points = entry.model.regions.reduce(0) { $0 + $1.points.count }
        return 64 + entry.model.regions.count * 32 + points * (72 + 70 + 36)
    }

    public convenience init(from decoder: any Decoder) throws {
        self.init(try ResponseTimes(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try model.encode(to: encoder)
    }

    public func writeCompact(to writer: inout CompactWriter) {
        model.writeCompact(to: &writer)
    }

    public convenience init?(compact reader: inout CompactReader) {
        guard let model = ResponseTimes(compact: &reader) else { return nil }
        self.init(model)
    }
}

/// One region's values of one response-time metric, encoded as `/query` writes a point
/// (`[value,ms]`), with each point's time and offset, and the smallest gap between two points.
///
/// When a request's bucket width (``Downsampler``) is no larger than that gap, no two points share
/// a bucket, and a bucket holding one point is that point, stamped with its own time: the
/// downsampled series is exactly the points in `[from, to]`, and the answer is two binary searches
/// and one copy. The usual Grafana panel (a day of 60–300 s checks, `maxDataPoints` about its
/// width in pixels) is that case; denser data is bucketed per request as before.
struct EncodedSeries: Sendable {
    let times: [Int64]
    let rows: ResponseTimeRows.EncodedRows
    /// The smallest difference between two consecutive points' times; `UInt64.max` for fewer than two.
    let minimumGap: UInt64

    /// The points with a value for `metric`, in the order ``Downsampler`` reads them (ascending);
    /// the same filter: no value, or a value that is not finite, is no point.
    init(_ points: [ResponseTimePoint], metric: Metric) {
        var json = JSONWriter(capacity: points.count * 28 + 2)
        var times: [Int64] = []
        var bounds: [Int32] = [1]
        times.reserveCapacity(points.count)
        bounds.reserveCapacity(points.count + 1)
        var gap = UInt64.max
        json.beginArray()
        for point in points {
            guard let value = metric.value(point), value.isFinite else { continue }
            if let last = times.last { gap = min(gap, Downsampler.distance(from: last, to: point.at)) }
            times.append(point.at)
            json.pair(value, point.at)
            bounds.append(Int32(json.bytes.count + 1))
        }
        json.endArray()
        self.times = times
        rows = ResponseTimeRows.EncodedRows(bytes: json.bytes, bounds: bounds)
        minimumGap = gap
    }

    /// The encoded points with `from <= time <= to`, comma-separated (for ``JSONWriter/rawElements(_:)``),
    /// when buckets of `width` would hold one point each; nil when they would not (or the points are
    /// not ascending, which the model's decoder guarantees but this does not assume).
    func points(from: Int64, to: Int64, width: UInt64) -> ArraySlice<UInt8>? {
        guard width <= minimumGap else { return nil }
        let lower = ResponseTimeRows.firstIndex(in: times) { $0 >= from }
        let upper = ResponseTimeRows.firstIndex(in: times) { $0 > to }
        guard lower < upper else { return [] }
        return rows.bytes[Int(rows.bounds[lower])..<Int(rows.bounds[upper]) - 1]
    }
}
