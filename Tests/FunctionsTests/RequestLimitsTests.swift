import BetterStack
import FastCGIRuntime
import Foundation
@testable import Functions
import Testing

/// The five attacks of the hostile review, each answered with a JSON 4xx naming its limit or a
/// bounded, correct answer; plus the deadline and the concurrency cap.
@Suite struct RequestLimitsTests {
    func range(_ bridge: BridgeUnderTest, hours: Int64 = 1) -> [String: String] {
        ["from": BridgeUnderTest.iso(bridge.now - hours * 3_600_000), "to": BridgeUnderTest.iso(bridge.now)]
    }

    @Test func extremeRangesAre400NotACrash() async throws {
        try await withBridge { bridge in
            let cases: [(String, String)] = [
                ("0", "9223372036854775807"),
                ("1900-01-01T00:00:00Z", BridgeUnderTest.iso(bridge.now)),
                ("0", "2200-01-02"),
                ("-5", "10"),
                (String(repeating: "9", count: 5000), "1"),
            ]
            for (from, to) in cases {
                let answer = try await bridge.post(
                    "/query",
                    json: ["range": ["from": from, "to": to], "targets": [["target": "response_time"]]]
                )
                #expect(answer.status == 400, "\(from)…\(to)")
                #expect(answer.object["error"] is String)
            }
            // The GET functions read the same time values.
            let get = await bridge.get("/response_time?url=https://example.com/&from=0&to=9223372036854775807")
            #expect(get.status == 400)
            #expect((get.object["error"] as? String)?.contains("2200") == true)
        }
    }

    @Test func tooManyTargetsIs422NamingTheLimit() async throws {
        try await withBridge { bridge in
            let targets = Array(repeating: ["target": "response_time"], count: 300)
            let answer = try await bridge.post("/query", json: ["range": range(bridge), "targets": targets])
            #expect(answer.status == 422)
            #expect(answer.object["limit"] as? String == "limits.max_targets")
            #expect(answer.object["limit_value"] as? Int == 20)
        }
    }

    @Test func pointsAreBoundedBeforeTheWork() async throws {
        let bridge = try await BridgeUnderTest(limits: RequestLimits(maxPoints: 5_000))
        defer { Task { await bridge.stop() } }
        let before = bridge.upstreamCalls
        // 5 monitors × up to 4 regions × 1000 points each > 5,000.
        let targets = Array(repeating: ["target": "response_time"], count: 5)
        let answer = try await bridge.post(
            "/query",
            json: ["range": range(bridge, hours: 24), "maxDataPoints": 1000, "targets": targets]
        )
        #expect(answer.status == 422)
        #expect(answer.object["limit"] as? String == "limits.max_points")
        #expect((answer.object["fits"] as? String)?.contains("maxDataPoints") == true)
        // Only the monitor list was read: no response times were loaded for an answer refused.
        #expect(bridge.upstreamCalls - before <= 1)
    }

    @Test func longAvailabilityDegradesToCoarserPeriodsWithinTheBudget() async throws {
        let bridge = try await BridgeUnderTest(limits: RequestLimits(upstreamCalls: 40))
        defer { Task { await bridge.stop() } }
        let before = bridge.upstreamCalls
        let answer = try await bridge.post(
            "/query",
            json: [
                "range": ["from": BridgeUnderTest.iso(bridge.now - 400 * 86_400_000), "to": BridgeUnderTest.iso(bridge.now)],
                "targets": [["target": "availability"]],
            ]
        )
        #expect(answer.status == 200)
        let calls = Int(answer.headers["x-uptime-bridge-upstream-calls"] ?? "") ?? -1
        #expect(calls >= 1 && calls <= 40)
        #expect(bridge.upstreamCalls - before <= 40 * 2)  // a list load may take a page or two
        // 5 monitors × 14 months = 70 > 40: the whole range, one call per monitor.
        #expect(answer.headers["x-uptime-bridge-availability-period"] == "range")
        let names = answer.array.compactMap { ($0 as? [String: Any])?["target"] as? String }
        #expect(names.count == 5)
        #expect(names.allSatisfy { $0.hasSuffix("availability (range)") })

        // A month for one monitor fits in days.
        let month = try await bridge.post(
            "/query",
            json: [
                "range": ["from": BridgeUnderTest.iso(bridge.now - 30 * 86_400_000), "to": BridgeUnderTest.iso(bridge.now)],
                "targets": [["target": "availability", "payload": ["monitor": "Example homepage"]]],
            ]
        )
        #expect(month.status == 200 || month.status == 404)
    }

    @Test func periodsCoverTheRangeExactly() {
        let first = UTCDay(year: 2025, month: 1, day: 30)!
        let last = UTCDay(year: 2026, month: 3, day: 2)!
        for period in AvailabilityPeriod.allCases {
            let spans = period.spans(first: first, last: last)
            #expect(Int64(spans.count) == period.count(first: first, last: last), "\(period)")
            #expect(spans.first?.first == first)
            #expect(spans.last?.last == last)
            for (a, b) in zip(spans, spans.dropFirst()) { #expect(a.last.adding(days: 1) == b.first) }
        }
        #expect(AvailabilityPeriod.month.count(first: first, last: last) == 15)
        #expect(AvailabilityPeriod.finest(first: first, last: last, monitors: 1, calls: 1000) == .day)
        #expect(AvailabilityPeriod.finest(first: first, last: last, monitors: 1, calls: 70) == .week)
        #expect(AvailabilityPeriod.finest(first: first, last: last, monitors: 2, calls: 40) == .month)
        #expect(AvailabilityPeriod.finest(first: first, last: last, monitors: 20, calls: 40) == .range)
        #expect(AvailabilityPeriod.finest(first: first, last: last, monitors: 41, calls: 40) == nil)
    }

    @Test func theUpstreamBudgetRefusesLoadsPastIt() async throws {
        // One call: the monitor list. Response times for the monitors are then refused.
        let bridge = try await BridgeUnderTest(limits: RequestLimits(upstreamCalls: 1))
        defer { Task { await bridge.stop() } }
        let answer = try await bridge.post(
            "/query",
            json: ["range": range(bridge), "targets": [["target": "response_time"]]]
        )
        #expect(answer.status == 422)
        #expect(answer.object["limit"] as? String == "limits.upstream_calls")
        #expect(answer.headers["x-uptime-bridge-upstream-calls"] == "1")
        // Cached data costs nothing: health and a repeat of the monitor list are free.
        let monitors = await bridge.get("/monitors?availability=false")
        #expect(monitors.status == 200)
        #expect(monitors.headers["x-uptime-bridge-upstream-calls"] == "0")
    }

    @Test func aFunctionPastItsDeadlineIsCancelledWith504() async throws {
        let bridge = try await BridgeUnderTest(limits: RequestLimits(deadline: .milliseconds(300)), debugRoutes: true)
        defer { Task { await bridge.stop() } }
        let answer = await bridge.get("/_debug/sleep?ms=20000")
        #expect(answer.status == 504)
        #expect(answer.object["limit"] as? String == "limits.deadline_seconds")
    }

    /// Work that finishes withdraws its deadline at once: nothing per request is left waiting for
    /// a deadline that no longer matters (a cancelled `Task.sleep` per request did exactly that).
    @Test func finishedWorkLeavesNoDeadlineBehind() async throws {
        let watch = DeadlineWatch(tick: .milliseconds(20))
        for index in 0..<2000 {
            let value = try await Deadline.run(.seconds(30), watch: watch) { index }
            #expect(value == index)
        }
        #expect(watch.pending == 0)
    }

    @Test func aDeadlineFiresSoonAfterItPassesAndOnlyOnce() async throws {
        let watch = DeadlineWatch(tick: .milliseconds(5))
        let fired = Counter()
        let cancelledFired = Counter()
        _ = watch.watch(until: .now + .milliseconds(30)) { fired.enter() }
        let withdrawn = watch.watch(until: .now + .milliseconds(30)) { cancelledFired.enter() }
        watch.cancel(withdrawn)
        let started = ContinuousClock.now
        while fired.peak == 0, ContinuousClock.now - started < .seconds(5) {
            try await Task.sleep(for: .milliseconds(5))
        }
        try await Task.sleep(for: .milliseconds(60))
        #expect(fired.peak == 1)
        #expect(cancelledFired.peak == 0)
        #expect(watch.pending == 0)
    }

    @Test func annotationEchoIsBounded() async throws {
        try await withBridge { bridge in
            let annotation: [String: Any] = ["name": String(repeating: "x", count: 5000), "enable": true]
            let answer = try await bridge.post("/annotations", json: ["range": range(bridge), "annotation": annotation])
            #expect(answer.status == 400)
        }
    }

    @Test func concurrencyGateLetsAtMostNRunAndServesInOrder() async throws {
        let gate = ConcurrencyGate(permits: 2)
        let counter = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    try await gate.acquire()
                    counter.enter()
                    try await Task.sleep(for: .milliseconds(5))
                    counter.leave()
                    gate.release()
                }
            }
            try await group.waitForAll()
        }
        #expect(counter.peak <= 2)
        #expect(counter.peak >= 1)
    }

    @Test func aCancelledWaiterLeavesTheGateWithoutAPermit() async throws {
        let gate = ConcurrencyGate(permits: 1)
        try await gate.acquire()
        let waiter = Task { try await gate.acquire() }
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        gate.release()
        // The permit is free again.
        try await gate.acquire()
        gate.release()
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private(set) var peak = 0

    func enter() {
        lock.lock()
        current += 1
        peak = max(peak, current)
        lock.unlock()
    }

    func leave() {
        lock.lock()
        current -= 1
        lock.unlock()
    }
}
