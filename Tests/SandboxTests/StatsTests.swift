import Sandbox
import Testing

@Suite("Request stats")
struct StatsTests {
    @Test("Counts per route name and in total; admin and health are not counted; reset zeroes")
    func countsAndReset() async throws {
        try await withSandbox { server in
            _ = try server.send("/api/v2/monitors")
            _ = try server.send("/api/v2/monitors?page=2")
            for _ in 0..<3 { _ = try server.send("/api/v2/monitors/200001/response-times") }
            _ = try server.send("/api/v2/monitors", token: "wrong")  // rejected requests still reach upstream
            _ = try server.send("/api/v3/incidents")
            _ = try server.send("/api/v2/incidents")
            _ = try server.send("/", token: nil)
            _ = try server.send("/_sandbox/health", token: nil)
            _ = try server.send("/_sandbox/faults", token: nil)

            let stats = try server.json("/_sandbox/stats")
            #expect(stats["total"] == .int(8))
            // The Uptime API requests (all but the heartbeat, Logs and admin routes) are also counted
            // per wall-clock second; the mode is off, so none was limited.
            let perSecond = try #require(stats["per_second"])
            #expect(perSecond["limit"] == .int(0) && perSecond["limited"] == .int(0))
            let seconds = perSecond["seconds"]?.arrayValue ?? []
            #expect(seconds.compactMap { $0[1]?.intValue }.reduce(0, +) == 8)
            #expect(server.perSecond.seconds.map(\.requests).reduce(0, +) == 8)
            #expect(
                stats["routes"]
                    == .object([("incidents", .int(2)), ("monitors", .int(3)), ("response_times", .int(3))])
            )
            #expect(server.requestCount(.responseTimes) == 3)

            let reset = try server.send("/_sandbox/stats/reset", method: "POST", token: nil)
            #expect(reset.status == 200)
            let zeroed = try server.json("/_sandbox/stats")
            #expect(zeroed["total"] == .int(0))
            #expect(zeroed["routes"] == .object([]))
            #expect(zeroed["per_second"]?["max_requests"] == .int(0))
            #expect(zeroed["per_second"]?["seconds"] == .array([]))
        }
    }

    @Test("Health answers without auth")
    func health() async throws {
        try await withSandbox { server in
            for target in ["/", "/_sandbox/health"] {
                let result = try server.send(target, token: nil)
                #expect(result.status == 200)
                #expect(try result.json() == .object([("status", .string("ok"))]))
            }
            #expect(try server.send("/nope").status == 404)
            #expect(try server.send("/api/v2/monitors", method: "DELETE").status == 405)
        }
    }
}
