import BetterStack
import Foundation
import TestSupport
import Testing

@testable import Functions

/// The encoded `/response_time` rows answer exactly what the row-by-row writer answers, for any
/// range, region subset and phase choice: the bytes, not just the values.
@Suite struct ResponseTimeRowsTests {
    /// The recorded 24 h fixture (4 regions), plus a series with ties across regions, missing
    /// phases, an empty region and a repeated time inside one region.
    static func fixture() throws -> ResponseTimes {
        let bytes = try TestFixtures.bytes("betterstack/response-times.json")
        return try JSONDecoder().decode(ResourceDocument<ResponseTimes>.self, from: Data(bytes)).data
    }

    /// Four regions of 480 points at 180 s with jitter, so that times tie across regions.
    static func day(seed: UInt64) -> ResponseTimes {
        var rng = SplitMix(seed: seed)
        let regions = ["us", "eu", "as", "au"].map { code in
            RegionResponseTimes(region: code, points: (0..<480).map { index in
                let at = 1_777_000_000_000 + Int64(index) * 180_000 + Int64(rng.next() % 3) * 1000
                let phase = rng.next() % 5 == 0 ? nil : Double(rng.next() % 1000) / 7000
                return ResponseTimePoint(
                    at: at, responseTime: Double(rng.next() % 100_000) / 99_991, nameLookupTime: phase,
                    connectionTime: phase, tlsHandshakeTime: nil, dataTransferTime: phase.map { $0 * 3 }
                )
            })
        }
        return ResponseTimes(monitorID: "200001", regions: regions)
    }

    static func series() throws -> [ResponseTimes] {
        let fixture = try Self.fixture()
        let tied = ResponseTimes(monitorID: "7", regions: [
            RegionResponseTimes(region: "us", points: [
                ResponseTimePoint(at: 1000, responseTime: 0.1, nameLookupTime: 0.01),
                ResponseTimePoint(at: 2000, responseTime: 0.2),
                ResponseTimePoint(at: 2000, responseTime: 0.25, connectionTime: 0.02),
            ]),
            RegionResponseTimes(region: "eu", points: [
                ResponseTimePoint(at: 2000, responseTime: 0.3, tlsHandshakeTime: 0.03, dataTransferTime: 0.04),
                ResponseTimePoint(at: 3000, responseTime: 1e-7),
            ]),
            RegionResponseTimes(region: "as", points: []),
        ])
        return [fixture, Self.day(seed: 3), tied, ResponseTimes(monitorID: "8", regions: [])]
    }

    @Test func everyRangeRegionSetAndPhaseChoiceMatchesTheWriter() throws {
        var rng = SplitMix(seed: 20261207)
        var compared = 0
        for times in try Self.series() {
            let rows = ResponseTimeRows(times)
            let all = times.regions.flatMap(\.points).map(\.at)
            let (low, high) = (all.min() ?? 0, all.max() ?? 0)
            let codes = times.regions.map(\.region) + ["zz"]
            for _ in 0..<300 {
                func bound() -> Int64? {
                    switch rng.next() % 4 {
                    case 0: nil
                    case 1: all.isEmpty ? 0 : all[Int(rng.next() % UInt64(all.count))]  // exactly on a point
                    default: low - 5000 + Int64(rng.next() % UInt64(max(1, high - low + 10_000)))
                    }
                }
                let (from, to) = (bound(), bound())
                let regions: Set<String>? = rng.next() % 3 == 0 ? nil : Set(codes.filter { _ in rng.next() % 2 == 0 })
                let withPhases = rng.next() % 2 == 0
                let expected = ResponseTime.encode(
                    times, regions: regions, from: from, to: to, phases: withPhases ? ResponseTime.phaseNames : []
                )
                let actual = rows.answer(regions: regions, from: from, to: to, withPhases: withPhases)
                #expect(
                    String(decoding: actual, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
                    "monitor \(times.monitorID) from \(from.map(String.init) ?? "-") to \(to.map(String.init) ?? "-") regions \(regions.map { $0.sorted() } ?? []) phases \(withPhases)"
                )
                compared += 1
            }
        }
        #expect(compared == 1200)
    }

    @Test func theCacheEntryKeepsOneEncodingAndCountsItsBytes() throws {
        let times = Self.day(seed: 5)
        let entry = ResponseTimesEntry(times)
        #expect(entry.encodedRows === entry.encodedRows)
        let rows = entry.encodedRows
        let points = times.regions.reduce(0) { $0 + $1.points.count }
        let answer = rows.answer(regions: nil, from: nil, to: nil, withPhases: false)
        // The estimate the cache is charged with is within a factor of two of what is held.
        #expect(rows.byteCount >= answer.count)
        #expect(ResponseTimesEntry.cost(entry) >= rows.byteCount / 2 && ResponseTimesEntry.cost(entry) <= rows.byteCount * 4)
        #expect(points > 1000)
    }
}
