import Sandbox
import Testing

/// The SLA endpoints must agree with what the incidents endpoints list, as real data does.
@Suite("Availability agrees with incidents")
struct AvailabilityTests {
    private struct Expected: Equatable, CustomStringConvertible {
        var availability: Double
        var total: Int
        var count: Int
        var longest: Int
        var average: Int
        var description: String { "\(availability)% \(total)s in \(count) (longest \(longest), average \(average))" }
    }

    /// Recomputes a summary from listed incidents: overlap with [start, end), open ones until the anchor.
    private func expected(incidents: [JSON], start: Int64, end: Int64) -> Expected {
        let overlaps: [Int64] = incidents.compactMap { incident in
            let attributes = incident["attributes"]
            guard let started = attributes?["started_at"]?.stringValue.flatMap(Timestamp.parseISO8601) else {
                return nil
            }
            let resolved = attributes?["resolved_at"]?.stringValue.flatMap(Timestamp.parseISO8601) ?? testAnchor
            let overlap = min(resolved, end) - max(started, start)
            return overlap > 0 ? overlap : nil
        }
        let total = overlaps.reduce(0, +)
        func seconds(_ ms: Int64) -> Int { Int((ms + 500) / 1000) }
        let fraction = end > start ? 1 - Double(total) / Double(end - start) : 1
        return Expected(
            availability: (fraction * 10_000).rounded() / 100,
            total: seconds(total),
            count: overlaps.count,
            longest: seconds(overlaps.max() ?? 0),
            average: overlaps.isEmpty ? 0 : seconds(total / Int64(overlaps.count))
        )
    }

    private func actual(_ payload: JSON) -> Expected {
        let attributes = payload["data"]?["attributes"]
        return Expected(
            availability: attributes?["availability"]?.doubleValue ?? -1,
            total: attributes?["total_downtime"]?.intValue ?? -1,
            count: attributes?["number_of_incidents"]?.intValue ?? -1,
            longest: attributes?["longest_incident"]?.intValue ?? -1,
            average: attributes?["average_incident"]?.intValue ?? -1
        )
    }

    @Test("Monitor SLA, whole life and a calendar range, for 40 monitors")
    func monitorSLA() async throws {
        try await withSandbox(SandboxConfiguration(monitors: 40, now: testAnchor)) { server in
            let april = Timestamp.parseDay("2026-04-01")!
            let may = Timestamp.parseDay("2026-05-01")!
            var withDowntime = 0
            for id in 200_001...200_040 {
                let created = try #require(
                    try server.json("/api/v2/monitors/\(id)")["data"]?["attributes"]?["created_at"]?.stringValue
                        .flatMap(Timestamp.parseISO8601)
                )
                let incidents = try server.allPages("/api/v3/incidents?monitor_id=\(id)&per_page=50")
                #expect(incidents.allSatisfy { $0["relationships"]?["monitor"]?["data"]?["id"] == .string(String(id)) })

                let whole = actual(try server.json("/api/v2/monitors/\(id)/sla"))
                #expect(whole == expected(incidents: incidents, start: created, end: testAnchor), "\(id)")
                let range = actual(try server.json("/api/v2/monitors/\(id)/sla?from=2026-04-01&to=2026-04-30"))
                #expect(range == expected(incidents: incidents, start: max(created, april), end: may), "\(id) April")
                if whole.total > 0 { withDowntime += 1 }
            }
            #expect(withDowntime >= 10)  // the comparison above is not vacuous
        }
    }

    @Test("Heartbeat availability")
    func heartbeatAvailability() async throws {
        try await withSandbox(SandboxConfiguration(heartbeats: 8, now: testAnchor)) { server in
            for id in 300_001...300_008 {
                let created = try #require(
                    try server.json("/api/v2/heartbeats/\(id)")["data"]?["attributes"]?["created_at"]?.stringValue
                        .flatMap(Timestamp.parseISO8601)
                )
                let incidents = try server.allPages("/api/v3/incidents?heartbeat_id=\(id)&per_page=50")
                let summary = actual(try server.json("/api/v2/heartbeats/\(id)/availability"))
                #expect(summary == expected(incidents: incidents, start: created, end: testAnchor), "\(id)")
            }
            // Heartbeat 2 is down: an open incident, so some downtime.
            #expect(actual(try server.json("/api/v2/heartbeats/300002/availability")).total > 0)
        }
    }

    @Test("Incident filters: resolved, acknowledged (v3 only), from/to")
    func incidentFilters() async throws {
        try await withSandbox(SandboxConfiguration(monitors: 40, heartbeats: 5, now: testAnchor)) { server in
            let all = try server.allPages("/api/v3/incidents?per_page=50")
            let open = try server.allPages("/api/v3/incidents?resolved=false&per_page=50")
            let resolved = try server.allPages("/api/v3/incidents?resolved=true&per_page=50")
            #expect(open.count + resolved.count == all.count)
            #expect(open.allSatisfy { $0["attributes"]?["resolved_at"] == .null })
            #expect(!open.isEmpty && !resolved.isEmpty)
            let unacknowledged = try server.allPages("/api/v3/incidents?acknowledged=false&per_page=50")
            #expect(unacknowledged.allSatisfy { $0["attributes"]?["acknowledged_at"] == .null })
            // v2 has no resolved filter.
            #expect(try server.allPages("/api/v2/incidents?resolved=false&per_page=50").count == all.count)
            // Newest first.
            let starts = all.compactMap { $0["attributes"]?["started_at"]?.stringValue }
            #expect(starts == starts.sorted(by: >))
            let april = try server.allPages("/api/v3/incidents?from=2026-04-01&to=2026-04-30&per_page=50")
            #expect(april.allSatisfy { ($0["attributes"]?["started_at"]?.stringValue ?? "").hasPrefix("2026-04") })
            #expect(april.count == starts.filter { $0.hasPrefix("2026-04") }.count)
        }
    }
}
