import Sandbox
import Testing

/// Sleeps until 20 ms past the next wall-clock second, so a short burst falls in one second.
func alignToNextSecond() async throws {
    let now = Timestamp.nowMilliseconds()
    try await Task.sleep(for: .milliseconds(1000 - now % 1000 + 20))
}

/// Sends `count` requests to `target` one after the other within one wall-clock second (retrying
/// the burst, after a stats reset, when it happened to straddle two), and returns the answers
/// and that second's counts.
func burst(
    _ server: SandboxServer,
    count: Int,
    target: String = "/api/v2/monitors"
) async throws -> (results: [RawHTTPResult], second: RequestSecond) {
    for _ in 0..<5 {
        server.resetStats()
        try await alignToNextSecond()
        let results = try (0..<count).map { _ in try server.send(target) }
        let seconds = server.perSecond.seconds
        if seconds.count == 1, let second = seconds.first { return (results, second) }
    }
    throw RawHTTPClient.Failure(description: "five bursts of \(count) requests each straddled a second boundary")
}

@Suite("Rate-limit mode", .serialized)
struct RateLimitTests {
    @Test("N+k requests in one second: the last k are answered 429 'Rate limited' (text/plain, no Retry-After)")
    func limitsWithinASecond() async throws {
        let limit = 5
        let extra = 3
        try await withSandbox(SandboxConfiguration(now: testAnchor, rateLimitPerSecond: limit)) { server in
            let (results, second) = try await burst(server, count: limit + extra)
            #expect(results.map(\.status) == Array(repeating: 200, count: limit) + Array(repeating: 429, count: extra))
            for limited in results.dropFirst(limit) {
                #expect(limited.text == "Rate limited")
                #expect(limited.header("Content-Type") == "text/plain; charset=utf-8")
                #expect(limited.header("Retry-After") == nil)
                #expect(limited.header("X-Sandbox-Fault") == nil)
            }
            #expect(second.requests == limit + extra)
            #expect(second.limited == extra)

            // The same through the admin API.
            let stats = try server.json("/_sandbox/stats")
            let perSecond = try #require(stats["per_second"])
            #expect(perSecond["limit"] == .int(limit))
            #expect(perSecond["max_requests"] == .int(limit + extra))
            #expect(perSecond["max_answered"] == .int(limit))
            #expect(perSecond["limited"] == .int(extra))
            #expect(
                perSecond["seconds"]
                    == .array([.array([.int(Int(second.second)), .int(limit + extra), .int(extra)])])
            )
            // Existing keys stay: every request, limited ones included, is a call to its route.
            #expect(stats["total"] == .int(limit + extra))
            #expect(stats["routes"] == .object([("monitors", .int(limit + extra))]))

            // The next second starts afresh.
            try await alignToNextSecond()
            #expect(try server.send("/api/v2/monitors/200001").status == 200)
            let after = server.perSecond
            #expect(after.seconds.count == 2)
            #expect(after.seconds.last?.requests == 1 && after.seconds.last?.limited == 0)
            #expect(after.maxRequests == limit + extra && after.maxAnswered == limit && after.limited == extra)
        }
    }

    @Test("Rejected requests (401, 404) count toward the limit; v2 and v3 share it")
    func everyUptimeRequestCounts() async throws {
        try await withSandbox(SandboxConfiguration(now: testAnchor, rateLimitPerSecond: 3)) { server in
            for _ in 0..<5 {
                server.resetStats()
                try await alignToNextSecond()
                let statuses = [
                    try server.send("/api/v2/monitors", token: "wrong").status,
                    try server.send("/api/v2/monitors/1").status,
                    try server.send("/api/v3/incidents").status,
                    try server.send("/api/v2/incidents").status,
                ]
                guard server.perSecond.seconds.count == 1 else { continue }
                #expect(statuses == [401, 404, 200, 429])
                #expect(server.perSecond.seconds.first?.limited == 1)
                return
            }
            Issue.record("every attempt straddled a second boundary")
        }
    }

    @Test("Heartbeat pings, Logs, Statuspage, Catchpoint and admin routes are neither limited nor counted per second")
    func onlyTheUptimeAPI() async throws {
        try await withSandbox(SandboxConfiguration(now: testAnchor, rateLimitPerSecond: 1)) { server async throws in
            let ping = "/api/v1/heartbeat/8oft6qqcntha8luawfszlvfh"
            for _ in 0..<4 {
                #expect(try server.send(ping, token: nil).status == 200)
                #expect(
                    try server.send(
                        "/_logs",
                        method: "POST",
                        token: SandboxConfiguration.defaultLogsToken,
                        body: Array("{\"message\":\"m\"}".utf8)
                    ).status == 202
                )
                #expect(try server.send("/statuspage/page-1/api/v2/status.json", token: nil).status == 200)
                #expect(try server.send("/_sandbox/stats", token: nil).status == 200)
            }
            let perSecond = server.perSecond
            #expect(perSecond.seconds.isEmpty && perSecond.maxRequests == 0 && perSecond.limited == 0)
        }
    }

    @Test("Run-time toggle: POST /_sandbox/rate-limit?per_second=N, JSON body, DELETE; 0 is off")
    func runtimeToggle() async throws {
        try await withSandbox { server in
            #expect(try server.json("/_sandbox/rate-limit") == .object([("per_second", .int(0))]))
            // Off by default: a burst goes through, and is still counted per second.
            let (free, freeSecond) = try await burst(server, count: 6)
            #expect(free.allSatisfy { $0.status == 200 })
            #expect(freeSecond.requests == 6 && freeSecond.limited == 0)
            #expect(server.perSecond.maxAnswered == 6)

            let set = try server.send("/_sandbox/rate-limit?per_second=2", method: "POST", token: nil)
            #expect(set.status == 200)
            #expect(try set.json() == .object([("per_second", .int(2))]))
            #expect(server.rateLimitPerSecond == 2)
            #expect(try server.json("/_sandbox/info")["rate_limit_per_second"] == .int(2))
            let (limited, limitedSecond) = try await burst(server, count: 5)
            #expect(limited.map(\.status) == [200, 200, 429, 429, 429])
            #expect(limitedSecond.limited == 3)
            #expect(server.perSecond.maxAnswered == 2 && server.perSecond.maxRequests == 5)

            let json = try server.send(
                "/_sandbox/rate-limit",
                method: "POST",
                token: nil,
                body: Array("{\"per_second\": 4}".utf8)
            )
            #expect(try json.json() == .object([("per_second", .int(4))]))
            let (four, _) = try await burst(server, count: 5)
            #expect(four.map(\.status) == [200, 200, 200, 200, 429])

            let off = try server.send("/_sandbox/rate-limit", method: "DELETE", token: nil)
            #expect(try off.json() == .object([("per_second", .int(0))]))
            let (again, _) = try await burst(server, count: 5)
            #expect(again.allSatisfy { $0.status == 200 })

            // Bad values are refused with the admin error shape and change nothing.
            for bad in ["?per_second=-1", "?per_second=abc", "?per_second=1000001", ""] {
                let answer = try server.send("/_sandbox/rate-limit\(bad)", method: "POST", token: nil)
                #expect(answer.status == 400, "\(bad)")
                #expect(try answer.json()["error"]?.stringValue != nil)
            }
            #expect(server.rateLimitPerSecond == 0)

            // Swift API.
            server.rateLimitPerSecond = 1
            #expect(try server.json("/_sandbox/rate-limit") == .object([("per_second", .int(1))]))
        }
    }

    @Test("A request over the limit is answered at once: faults do not apply and counted faults are not used up")
    func limitComesBeforeFaults() async throws {
        try await withSandbox(SandboxConfiguration(now: testAnchor, rateLimitPerSecond: 1)) { server in
            for _ in 0..<5 {
                server.resetStats()
                server.setFault(Fault(route: .monitors, status: 503, count: 1))
                try await alignToNextSecond()
                let first = try server.send("/api/v2/monitors/200001")  // passes the limit, no fault on this route
                let second = try server.send("/api/v2/monitors")  // over the limit: 429, fault untouched
                let third = try server.send("/api/v2/monitors")  // over the limit as well
                guard server.perSecond.seconds.count == 1 else {
                    server.clearFaults()
                    continue
                }
                #expect(first.status == 200)
                #expect(second.status == 429 && third.status == 429)
                try await alignToNextSecond()
                #expect(try server.send("/api/v2/monitors").status == 503)  // the counted fault is still there
                return
            }
            Issue.record("every attempt straddled a second boundary")
        }
    }

    @Test("Stats reset zeroes the per-second counts but keeps the limit")
    func resetKeepsLimit() async throws {
        try await withSandbox(SandboxConfiguration(now: testAnchor, rateLimitPerSecond: 7)) { server in
            _ = try server.send("/api/v2/monitors")
            let reset = try server.send("/_sandbox/stats/reset", method: "POST", token: nil)
            #expect(
                try reset.json()["per_second"]
                    == .object([
                        ("limit", .int(7)), ("max_requests", .int(0)), ("max_answered", .int(0)),
                        ("limited", .int(0)), ("seconds", .array([])),
                    ])
            )
            #expect(server.rateLimitPerSecond == 7)
        }
    }
}
