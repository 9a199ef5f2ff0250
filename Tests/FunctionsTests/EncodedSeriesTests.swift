import BetterStack
import FastCGIRuntime
import Testing

@testable import Functions

/// `/query`'s cached encoded points answer exactly what bucketing answers, whenever they are used:
/// the bytes of whole series, for any range, `maxDataPoints`, `intervalMs`, metric and aggregate.
@Suite struct EncodedSeriesTests {
    /// Bucketed per request (the reference) and from the cache, for one region.
    static func both(_ entry: ResponseTimesEntry, region: Int, metric: Metric, query: QueryRequest, aggregate: Aggregate)
        -> (reference: [UInt8], encoded: [UInt8])
    {
        var reference = JSONWriter()
        var encoded = JSONWriter()
        reference.beginArray()
        Query.writeResponseTimeSeries(
            &reference, name: "m r", refID: "A", entry: entry, region: region, metric: metric, query: query,
            aggregate: aggregate, encoded: false
        )
        reference.endArray()
        encoded.beginArray()
        Query.writeResponseTimeSeries(
            &encoded, name: "m r", refID: "A", entry: entry, region: region, metric: metric, query: query,
            aggregate: aggregate, encoded: true
        )
        encoded.endArray()
        return (reference.bytes, encoded.bytes)
    }

    @Test func everyQueryAnswersTheBucketedBytes() throws {
        // The recorded fixture, a synthetic day at 180 s with missing phases, a dense one at 30 s
        // (buckets hold several points), and ties inside one region.
        var dense = ResponseTimeRowsTests.day(seed: 5)
        dense.regions = dense.regions.map { region in
            RegionResponseTimes(region: region.region, points: region.points.enumerated().map { index, point in
                var point = point
                point.at = 1_777_000_000_000 + Int64(index) * 30_000
                return point
            })
        }
        var rng = SplitMix(seed: 20261207)
        var fast = 0
        var compared = 0
        for times in try ResponseTimeRowsTests.series() + [dense] {
            let entry = ResponseTimesEntry(times)
            let all = times.regions.flatMap(\.points).map(\.at)
            let (low, high) = (all.min() ?? 0, all.max() ?? 0)
            let span = max(1, high - low)
            for _ in 0..<400 {
                guard !times.regions.isEmpty else { break }
                let region = Int(rng.next() % UInt64(times.regions.count))
                let metric = [Metric.responseTime, .nameLookup, .connection, .tlsHandshake, .dataTransfer][Int(rng.next() % 5)]
                let aggregate = Aggregate.allCases[Int(rng.next() % 4)]
                var from = low - span / 10 + Int64(rng.next() % UInt64(span + span / 5))
                var to = low - span / 10 + Int64(rng.next() % UInt64(span + span / 5))
                if from > to { swap(&from, &to) }
                if rng.next() % 8 == 0 { from = times.regions[region].points.first?.at ?? from }  // on a point
                let maxDataPoints = [1, 10, 100, 480, 1000, 1920, 5000][Int(rng.next() % 7)]
                let intervalMs: Int64? = [nil, 1000, 30_000, 60_000, 179_000, 600_000][Int(rng.next() % 6)]
                let query = QueryRequest(
                    from: from, to: to, maxDataPoints: maxDataPoints, intervalMs: intervalMs, targets: [], filters: []
                )
                let width = Downsampler.width(from: from, to: to, maxPoints: maxDataPoints, intervalMs: intervalMs)
                if entry.encodedSeries(region: region, metric: metric).points(from: from, to: to, width: width) != nil {
                    fast += 1
                }
                let (reference, encoded) = Self.both(entry, region: region, metric: metric, query: query, aggregate: aggregate)
                #expect(
                    encoded == reference,
                    "\(String(decoding: encoded.prefix(300), as: UTF8.self)) vs \(String(decoding: reference.prefix(300), as: UTF8.self))"
                )
                compared += 1
            }
        }
        // Both paths were taken: the comparison is not vacuous.
        #expect(compared == 1_600)  // four of the five series have regions
        #expect(fast > 300 && fast < compared, "\(fast) of \(compared) from the cache")
    }
}
