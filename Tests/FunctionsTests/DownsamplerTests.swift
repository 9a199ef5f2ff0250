@testable import Functions
import Foundation
import Testing

@Suite struct DownsamplerTests {
    /// 24 h × 4 regions at a random check frequency, random values: every series fits in
    /// `maxDataPoints` and every bucket's value is the average of exactly the points in it.
    @Test(arguments: 0..<25)
    func randomSeriesNeverExceedMaxPointsAndAverageCorrectly(seed: Int) {
        var rng = SplitMix(seed: UInt64(seed) &+ 0x9E37)
        let to: Int64 = 1_795_300_000_000
        let from = to - 86_400_000
        let maxPoints = [1, 7, 100, 100, 550, 1000][Int(rng.next() % 6)]
        let interval: Int64? = rng.next() % 2 == 0 ? nil : Int64(rng.next() % 3_600_000)
        for _ in 0..<4 {
            let step = Int64([30, 60, 180, 300][Int(rng.next() % 4)]) * 1000
            var points: [(time: Int64, value: Double)] = []
            var t = from + Int64(rng.next() % 30_000)
            while t <= to {
                points.append((t, Double(rng.next() % 100_000) / 1000))
                t += step + Int64(rng.next() % 5000)
            }
            let out = Downsampler.downsample(points, from: from, to: to, maxPoints: maxPoints, intervalMs: interval, aggregate: .avg)
            #expect(out.count <= maxPoints)
            let width = Downsampler.bucketWidth(from: from, to: to, maxPoints: maxPoints, intervalMs: interval)
            #expect(width >= (interval ?? 1))
            // Independent recomputation of the buckets.
            var buckets: [Int64: [Double]] = [:]
            for p in points { buckets[(p.time - from) / width, default: []].append(p.value) }
            #expect(out.count == buckets.count)
            for point in out {
                let index = (point.time - from) / width
                let members = buckets[index]!
                let average = members.reduce(0, +) / Double(members.count)
                #expect(abs(point.value - average) < 1e-9)
            }
            #expect(zip(out, out.dropFirst()).allSatisfy { $0.time < $1.time })
        }
    }

    @Test func aggregatesMinMaxP95() {
        let points = (0..<100).map { (time: Int64($0), value: Double($0 + 1)) }
        func one(_ aggregate: Aggregate) -> Double {
            Downsampler.downsample(points, from: 0, to: 99, maxPoints: 1, intervalMs: nil, aggregate: aggregate)[0].value
        }
        #expect(one(.avg) == 50.5)
        #expect(one(.min) == 1)
        #expect(one(.max) == 100)
        #expect(one(.p95) == 95)
    }

    @Test func pointsOutsideTheRangeAreDropped() {
        let out = Downsampler.downsample([(5, 1), (10, 2), (20, 3), (30, 4)], from: 10, to: 20, maxPoints: 10, intervalMs: nil, aggregate: .avg)
        #expect(out.map(\.value) == [2, 3])
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct QueryDownsamplingTests {
    /// Through `/query`: a day of four regions with maxDataPoints 100 gives at most 100 points per series.
    @Test func queryHonoursMaxDataPointsAndInterval() async throws {
        try await withBridge { bridge in
            let body: [String: Any] = [
                "range": ["from": BridgeUnderTest.iso(bridge.now - 86_400_000), "to": BridgeUnderTest.iso(bridge.now)],
                "maxDataPoints": 100, "intervalMs": 60_000,
                "targets": [["target": "response_time{monitor=\"Example homepage\"}", "refId": "A"]],
            ]
            let answer = try await bridge.post("/query", json: body)
            let series = answer.array.map { $0 as! [String: Any] }
            #expect(series.count == 4)
            for s in series { #expect((s["datapoints"] as! [Any]).count <= 100) }
            var wide = body
            wide["maxDataPoints"] = 1000
            wide["intervalMs"] = 3_600_000
            let hourly = try await bridge.post("/query", json: wide).array.map { $0 as! [String: Any] }
            for s in hourly { #expect((s["datapoints"] as! [Any]).count <= 25) }
        }
    }
}
