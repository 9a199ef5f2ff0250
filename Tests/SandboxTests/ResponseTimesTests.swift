import Sandbox
import Testing

@Suite("Response times")
struct ResponseTimesTests {
    /// Seconds as integer units of 0.00001 s; fails when a value has more than five decimals.
    private func units(_ value: JSON?, sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        let seconds = value?.doubleValue ?? -1
        let scaled = seconds * 100_000
        #expect(
            abs(scaled - scaled.rounded()) < 1e-6,
            "\(seconds) has more than 5 decimals",
            sourceLocation: sourceLocation
        )
        return Int(scaled.rounded())
    }

    @Test("Phases sum to response_time; points ascend inside the last 24 h at the check frequency")
    func pointsAreConsistent() async throws {
        try await withSandbox(SandboxConfiguration(monitors: 12, now: testAnchor)) { server in
            for id in 200_001...200_012 {
                let monitor = try #require(try server.json("/api/v2/monitors/\(id)")["data"]?["attributes"])
                let frequency = Int64(monitor["check_frequency"]?.intValue ?? 0)
                let status = monitor["status"]?.stringValue
                let payload = try server.json("/api/v2/monitors/\(id)/response-times")
                #expect(payload["data"]?["id"] == .string(String(id)))
                #expect(payload["data"]?["type"] == .string("monitor_response_times"))
                let regions = try #require(payload["data"]?["attributes"]?["regions"]?.arrayValue)
                #expect(regions.map { $0["region"] } == monitor["regions"]?.arrayValue)
                for region in regions {
                    let points = try #require(region["response_times"]?.arrayValue)
                    if status == "pending" {
                        #expect(points.isEmpty)
                        continue
                    }
                    if status != "paused" {
                        // One point per check frequency over 24 h, give or take a few dropped checks.
                        let expected = Int(86_400 / frequency)
                        #expect(
                            points.count <= expected && points.count >= expected * 95 / 100,
                            "\(id): \(points.count) of \(expected)"
                        )
                    }
                    var previous = testAnchor - 86_400_000
                    for point in points {
                        let at = try #require(point["at"]?.stringValue.flatMap(Timestamp.parseISO8601))
                        #expect(at > previous && at <= testAnchor)
                        previous = at
                        let total = units(point["response_time"])
                        let phases = [
                            "name_lookup_time", "connection_time", "tls_handshake_time", "data_transfer_time",
                        ]
                        .map { units(point[$0]) }
                        #expect(phases.reduce(0, +) == total, "\(id) \(point)")
                        #expect(phases.allSatisfy { $0 >= 0 } && total > 0)
                    }
                }
            }
        }
    }

    @Test("checkFrequency sets every monitor's frequency and spaces its points by it; the rest stays")
    func forcedCheckFrequency() async throws {
        let mixed = SandboxConfiguration(monitors: 12, now: testAnchor)
        var forced = mixed
        forced.checkFrequency = 300
        try await withSandbox(mixed) { mixedServer in
            try await withSandbox(forced) { server in
                for id in 200_001...200_012 {
                    let attributes = try #require(try server.json("/api/v2/monitors/\(id)")["data"]?["attributes"])
                    let original = try #require(try mixedServer.json("/api/v2/monitors/\(id)")["data"]?["attributes"])
                    #expect(attributes["check_frequency"]?.intValue == 300)
                    // Nothing else drawn for the monitor changes.
                    for key in ["url", "monitor_type", "status", "regions", "pronounceable_name"] {
                        #expect(attributes[key] == original[key], "\(id) \(key)")
                    }
                    let payload = try server.json("/api/v2/monitors/\(id)/response-times")
                    for region in payload["data"]?["attributes"]?["regions"]?.arrayValue ?? [] {
                        let points = region["response_times"]?.arrayValue ?? []
                        #expect(points.count <= 288)
                        if attributes["status"]?.stringValue == "up" { #expect(points.count >= 270, "\(id)") }
                    }
                }
            }
        }
    }

    @Test("last_checked_at is the latest point")
    func lastCheckedMatches() async throws {
        try await withSandbox { server in
            let attributes = try server.json("/api/v2/monitors/200001")["data"]?["attributes"]
            let payload = try server.json("/api/v2/monitors/200001/response-times")
            let latest = (payload["data"]?["attributes"]?["regions"]?.arrayValue ?? []).compactMap {
                $0["response_times"]?.arrayValue?.last?["at"]?.stringValue
            }.max()
            #expect(latest != nil && attributes?["last_checked_at"]?.stringValue == latest)
        }
    }
}
