import BetterStack
import FastCGIRuntime
import Foundation
@testable import Functions
import Sandbox
import Testing

/// Pacing Better Stack like the vendor's own client: a 429 starts a cool-down served from the cache,
/// and one failed day never fails a panel.
@Suite struct UpstreamPaceTests {
    @Test func a429WithoutRetryAfterStartsACoolDownServedStaleWithoutARetryStorm() async throws {
        let bridge = try await BridgeUnderTest(pace: UpstreamPace.Settings(rate: 1000, burst: 50))
        defer { Task { await bridge.stop() } }
        let uri = "/response_time?url=https://example.com/&region=us"
        let warm = await bridge.get(uri)
        #expect(warm.status == 200)
        // Past the TTL and the stale-while-revalidate window (30 + 60 s), inside stale-if-error.
        bridge.clock.advance(by: .seconds(95))
        bridge.sandbox.setFault(Fault(route: "response_times", status: 429))
        let before = bridge.sandbox.requestCount("response_times")
        let first = await bridge.get(uri)
        #expect(first.status == 200)
        #expect(first.headers["x-uptime-bridge-stale"] == "true")
        #expect(first.body == warm.body)
        let pace = try #require(bridge.data.client.pace)
        let coolDown = try #require(pace.coolDownRemaining)
        #expect(coolDown >= .seconds(9) && coolDown <= .seconds(10))
        // A storm of viewers during the cool-down: every one served stale, no upstream call.
        for _ in 0..<20 {
            let again = await bridge.get(uri)
            #expect(again.status == 200)
            #expect(again.headers["x-uptime-bridge-stale"] == "true")
        }
        #expect(bridge.sandbox.requestCount("response_times") - before == 1)
        #expect(pace.statistics.rateLimited == 1)
        #expect(pace.statistics.refused >= 20)
        // After the cool-down, fresh data again.
        bridge.sandbox.clearFaults()
        bridge.clock.advance(by: .seconds(11))
        let fresh = await bridge.get(uri)
        #expect(fresh.status == 200)
        #expect(fresh.headers["x-uptime-bridge-stale"] == nil)
        #expect(bridge.sandbox.requestCount("response_times") - before == 2)
    }

    @Test func withoutCachedDataACoolDownIs503WithRetryAfter() async throws {
        let bridge = try await BridgeUnderTest(pace: UpstreamPace.Settings(rate: 1000, burst: 50))
        defer { Task { await bridge.stop() } }
        _ = await bridge.get("/monitors?availability=false")
        bridge.sandbox.setFault(Fault(route: "response_times", status: 429))
        let answer = await bridge.get("/response_time?url=https://example.com/")
        #expect(answer.status == 503)
        #expect(answer.object["error"] is String)
        let retryAfter = Int(answer.headers["retry-after"] ?? "") ?? 0
        #expect(retryAfter >= 9 && retryAfter <= 10)
    }

    /// One day whose SLA call fails (a 400, as Better Stack answers a start date it takes for the
    /// future) is left out of a per-day availability series and reported; the others stay.
    @Test func aFailedDayIsLeftOutNotTheWholeSeries() async throws {
        try await withBridge { bridge in
            bridge.sandbox.setFault(Fault(route: "sla", status: 400, count: 1))
            let answer = try await bridge.post(
                "/query",
                json: [
                    "range": ["from": BridgeUnderTest.iso(bridge.now - 6 * 86_400_000), "to": BridgeUnderTest.iso(bridge.now)],
                    "targets": [["target": #"availability{monitor="Example homepage"}"#, "refId": "A"]],
                ]
            )
            #expect(answer.status == 200)
            #expect(answer.headers["x-uptime-bridge-partial"] == "availability; missing=1")
            let series = try #require(answer.array.first as? [String: Any])
            #expect((series["datapoints"] as? [Any])?.count == 6)
            // Every day failing is still a failure.
            bridge.sandbox.setFault(Fault(route: "sla", status: 400))
            let all = try await bridge.post(
                "/query",
                json: [
                    "range": ["from": BridgeUnderTest.iso(bridge.now - 20 * 86_400_000), "to": BridgeUnderTest.iso(bridge.now - 14 * 86_400_000)],
                    "targets": [["target": #"availability{monitor="Example homepage"}"#, "refId": "A"]],
                ]
            )
            #expect(all.status == 400)
        }
    }
}

/// The pace's scheduling, on a fixed clock: no sleeping, no wall-clock assertions.
@Suite struct PaceSchedulingTests {
    final class FixedClock: @unchecked Sendable {
        var now: Int64 = 1_000_000
    }

    /// Calls a caller whose deadline is now may make: the burst, then each is refused with the time
    /// its slot would come.
    @Test func aBurstThenOneSlotPerInterval() async throws {
        let clock = FixedClock()
        let pace = UpstreamPace(settings: .init(rate: 10, burst: 3), clock: { clock.now })
        try await UpstreamDeadline.$current.withValue(ContinuousClock.now) {
            for _ in 0..<3 { try await pace.acquire() }
            await #expect(throws: PaceRefusal.self) { try await pace.acquire() }
            clock.now += 100
            try await pace.acquire()
            await #expect(throws: PaceRefusal.self) { try await pace.acquire() }
            do {
                try await pace.acquire()
            } catch let refusal as PaceRefusal {
                #expect(refusal.retryAfterMilliseconds == 100)
                #expect(!refusal.coolingDown)
            }
        }
    }

    @Test func coolDownsDoubleWithoutRetryAfterAndFollowItWhenGiven() async throws {
        let clock = FixedClock()
        let pace = UpstreamPace(settings: .init(rate: 100, burst: 5), clock: { clock.now })
        #expect(pace.rateLimited(retryAfter: nil) == .seconds(10))
        clock.now += 10_000
        #expect(pace.rateLimited(retryAfter: nil) == .seconds(20))
        clock.now += 20_000
        #expect(pace.rateLimited(retryAfter: nil) == .seconds(40))
        pace.succeeded()
        clock.now += 40_000
        #expect(pace.rateLimited(retryAfter: nil) == .seconds(10))
        clock.now += 10_000
        #expect(pace.rateLimited(retryAfter: .seconds(3)) == .seconds(3))
        // A caller with a deadline is refused at once while it runs.
        try await UpstreamDeadline.$current.withValue(ContinuousClock.now + .seconds(60)) {
            do {
                try await pace.acquire()
                Issue.record("acquired during a cool-down")
            } catch let refusal as PaceRefusal {
                #expect(refusal.coolingDown)
                #expect(refusal.retryAfterMilliseconds == 3000)
            }
        }
        for _ in 0..<20 { _ = pace.rateLimited(retryAfter: nil) }
        #expect(pace.coolDownRemaining! <= .seconds(300))
    }

    /// Two processes' paces on one state file share the slots (CGI processes of one cache directory).
    @Test func aFileStoreIsShared() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pace-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("pace.state").path
        let clock = FixedClock()
        let a = UpstreamPace(settings: .init(rate: 10, burst: 2), store: FilePaceStore(path: path), clock: { clock.now })
        let b = UpstreamPace(settings: .init(rate: 10, burst: 2), store: FilePaceStore(path: path), clock: { clock.now })
        try await UpstreamDeadline.$current.withValue(ContinuousClock.now) {
            try await a.acquire()
            try await b.acquire()
            await #expect(throws: PaceRefusal.self) { try await a.acquire() }
            await #expect(throws: PaceRefusal.self) { try await b.acquire() }
        }
        _ = a.rateLimited(retryAfter: nil)
        #expect(b.coolDownRemaining == .seconds(10))
    }

    @Test func theRateIsSplitAmongWorkers() {
        let settings = UpstreamPace.Settings(rate: 8, burst: 4).divided(by: 4)
        #expect(settings.rate == 2)
        #expect(settings.burst == 1)
    }
}
