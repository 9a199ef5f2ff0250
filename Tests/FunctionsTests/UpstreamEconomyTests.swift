import Foundation
import Testing

/// What a dashboard refresh costs upstream, counted by the sandbox.
@Suite struct UpstreamEconomyTests {
    /// Ten panels over five monitors, issued at once as Grafana does on refresh.
    static func refresh(_ bridge: BridgeUnderTest) async throws {
        let monitors = ["Example homepage", "Payments 2", "Shop 3", "Api 4", "Auth 5"]
        let range = ["from": BridgeUnderTest.iso(bridge.now - 86_400_000), "to": BridgeUnderTest.iso(bridge.now)]
        func query(_ target: String) -> [String: Any] {
            ["range": range, "maxDataPoints": 500, "intervalMs": 60_000, "targets": [["refId": "A", "target": target]]]
        }
        try await withThrowingTaskGroup(of: Int.self) { group in
            for monitor in monitors {  // panels 1–5: response time per region, one monitor each
                group.addTask { try await bridge.post("/query", json: query("response_time{monitor=\"\(monitor)\"}")).status }
            }
            group.addTask { try await bridge.post("/query", json: query("monitors")).status }  // 6: status table
            group.addTask { await bridge.get("/monitors").status }  // 7: Infinity list with today's availability
            group.addTask {  // 8: incident table
                await bridge.get("/incidents?from=\(bridge.now - 86_400_000)&to=\(bridge.now)").status
            }
            group.addTask { try await bridge.post("/query", json: query("incidents")).status }  // 9: annotations
            group.addTask { try await bridge.post("/query", json: query("availability")).status }  // 10: availability per day
            for try await status in group { #expect(status == 200) }
        }
    }

    @Test func coldRefreshCostsOneCallPerMonitorAndKindWarmRefreshCostsNone() async throws {
        try await withBridge { bridge in
            bridge.sandbox.resetStats()
            try await Self.refresh(bridge)
            let cold = bridge.sandbox.requestCounts
            #expect(cold["monitors"] == 1, "monitor list: \(cold)")
            #expect(cold["response_times"] == 5, "\(cold)")
            #expect(cold["incidents"] == 1, "\(cold)")
            // Availability is per monitor and per day: the 24 h range spans two UTC days; today's
            // SLA is shared by the monitor list and the availability panel.
            #expect((cold["sla"] ?? 0) <= 5 * 2, "\(cold)")
            #expect(Set(cold.keys.map(\.rawValue)).isSubset(of: ["monitors", "response_times", "incidents", "sla"]))

            bridge.sandbox.resetStats()
            try await Self.refresh(bridge)
            #expect(bridge.upstreamCalls == 0, "warm refresh: \(bridge.sandbox.requestCounts)")
        }
    }
}

@Suite struct ListTests {
    @Test func monitorListIsFlatWithEpochMilliseconds() async throws {
        try await withBridge { bridge in
            let answer = await bridge.get("/monitors")
            let rows = answer.array.map { $0 as! [String: Any] }
            #expect(rows.count == 5)
            for row in rows {
                #expect(Set(row.keys) == [
                    "id", "name", "url", "status", "up", "monitor_type", "check_frequency", "last_checked_at", "regions",
                    "paused", "availability",
                ])
                #expect(row.values.allSatisfy { !($0 is [Any]) && !($0 is [String: Any]) })
                #expect((row["last_checked_at"] as! NSNumber).int64Value > 1_700_000_000_000)
            }
            #expect(rows.first { $0["id"] as? String == "200003" }?["status"] as? String == "down")
            let lean = await bridge.get("/monitors?availability=false")
            #expect((lean.array.first as! [String: Any])["availability"] == nil)
        }
    }

    @Test func incidentsCarryStartAndEndAsEpochMilliseconds() async throws {
        try await withBridge { bridge in
            let rows = await bridge.get("/incidents").array.map { $0 as! [String: Any] }
            #expect(!rows.isEmpty)
            for row in rows {
                #expect(row["started_at"] is NSNumber)
                let open = row["open"] as! Bool
                #expect(open == (row["resolved_at"] is NSNull))
            }
            let open = await bridge.get("/incidents?resolved=false").array.map { $0 as! [String: Any] }
            #expect(open.allSatisfy { $0["open"] as? Bool == true })
            let shop = await bridge.get("/incidents?url=https://shop-3.example.com/health").array.map { $0 as! [String: Any] }
            #expect(shop.allSatisfy { $0["monitor_id"] as? String == "200003" })
        }
    }

    @Test func heartbeatsNeverExposeTheirPingURL() async throws {
        try await withBridge { bridge in
            let answer = await bridge.get("/heartbeats")
            #expect(answer.array.count >= 3)
            #expect(!answer.body.contains("heartbeat/"))
            #expect(!answer.body.contains("\"url\""))
        }
    }
}
