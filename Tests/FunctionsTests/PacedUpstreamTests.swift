import BetterStack
import Foundation
@testable import Functions
import Sandbox
import Testing

/// Against the sandbox in rate-limit mode (429 `Rate limited`, no `Retry-After`, above its rate per
/// wall-clock second): the bridge's pace keeps every call within the configured rate, so Better
/// Stack never has to refuse one, and every answer is served (whole, or partial with its report).
@Suite(.serialized) struct PacedUpstreamTests {
    /// A cold dashboard refresh by 20 viewers at once.
    @Test func twentyViewersOfAColdDashboardStayWithinTheRate() async throws {
        let rate = 20
        let bridge = try await BridgeUnderTest(
            pace: UpstreamPace.Settings(rate: Double(rate), burst: 1),
            paceOnWallClock: true
        )
        defer { Task { await bridge.stop() } }
        // Better Stack's limit is the bridge's rate plus its burst: a wall-clock second can hold
        // one call more than the rate when calls straddle its start.
        bridge.sandbox.rateLimitPerSecond = rate + 1
        let range = ["from": BridgeUnderTest.iso(bridge.now - 6 * 86_400_000), "to": BridgeUnderTest.iso(bridge.now)]
        let bodies: [[String: Any]] = [
            ["range": range, "targets": [["target": "response_time", "refId": "A"]]],
            ["range": range, "targets": [["target": "availability", "refId": "B"]]],
            ["range": range, "targets": [["target": "monitors", "refId": "C"], ["target": "incidents", "refId": "D"]]],
        ]
        let raws: [[UInt8]] = try bodies.map { Array(try JSONSerialization.data(withJSONObject: $0)) }
        let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<20 {
                group.addTask {
                    var statuses: [Int] = []
                    for raw in raws { statuses.append(await bridge.post("/query", raw: raw).status) }
                    statuses.append(await bridge.get("/response_time?url=https://example.com/").status)
                    return statuses
                }
            }
            var all: [Int] = []
            for try await statuses in group { all += statuses }
            return all
        }
        #expect(statuses.count == 80)
        #expect(statuses.allSatisfy { $0 == 200 }, "\(Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count))")
        let perSecond = bridge.sandbox.perSecond
        #expect(perSecond.limited == 0)
        #expect(perSecond.maxRequests <= rate + 1, "\(perSecond.seconds)")
        #expect(perSecond.maxRequests >= 2)
    }

    /// A `/metrics` sweep over 1,000 monitors (latest response times and availability per monitor).
    @Test func aMetricsSweepOverAThousandMonitorsStaysWithinTheRate() async throws {
        let rate = 200
        let bridge = try await BridgeUnderTest(
            monitors: 1000,
            // Five-minute checks: 288 points a region, so the sweep measures the pace rather than
            // how fast a debug build under AddressSanitizer generates and decodes 5 M points.
            checkFrequency: 300,
            statuspages: 0,
            pace: UpstreamPace.Settings(rate: Double(rate), burst: 1),
            paceOnWallClock: true
        )
        defer { Task { await bridge.stop() } }
        bridge.sandbox.rateLimitPerSecond = rate + 1
        let first = await bridge.get("/metrics")
        #expect(first.status == 200)
        // The sweep runs in the background; scrapes meanwhile serve what is known. The wait only
        // bounds a hang: a debug build sweeps the thousand 24-hour series of five-minute checks in
        // about 26 s (the pace alone needs 5 s), and a loaded machine may take much longer.
        let started = ContinuousClock.now
        while bridge.sandbox.requestCount("response_times") < 1000, ContinuousClock.now - started < .seconds(300) {
            try await Task.sleep(for: .milliseconds(500))
            #expect(await bridge.get("/metrics").status == 200)
        }
        #expect(bridge.sandbox.requestCount("response_times") >= 1000)
        let perSecond = bridge.sandbox.perSecond
        #expect(perSecond.limited == 0)
        #expect(perSecond.maxRequests <= rate + 1, "\(perSecond.seconds.suffix(5))")
    }
}
