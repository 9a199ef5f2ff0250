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
    private static func firstIndex(in values: [Int64], where predicate: (Int64) -> Bool) -> Int {
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

    /// What the cache accounts for the entry: the model's points and the rows' bytes, counted when
    /// the entry is stored (the rows' size is estimated then from the points: ~70 bytes a row).
    static func cost(_ entry: ResponseTimesEntry) -> Int {
        let points = entry.model.regions.reduce(0) { $0 + $1.points.count }
        return 64 + entry.model.regions.count * 32 + points * (72 + 70)
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
