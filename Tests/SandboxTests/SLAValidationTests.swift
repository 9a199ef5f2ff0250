import Sandbox
import Testing

/// Better Stack answers 400 with its JSON error body when an availability range starts after
/// today (UTC) or ends before it starts. "Today" is the day of the sandbox's anchor `now`.
@Suite("SLA range validation")
struct SLAValidationTests {
    /// testAnchor is 2026-05-02T09:15:00.000Z.
    static let today = "2026-05-02"
    static let tomorrow = "2026-05-03"
    static let yesterday = "2026-05-01"

    @Test("from after today: 400 with the body of sla-error-400.json, as JSON")
    func futureStart() async throws {
        try await withSandbox { server in
            let expected = try Fixtures.betterStack("sla-error-400.json")
            for target in [
                "/api/v2/monitors/200001/sla?from=\(Self.tomorrow)&to=\(Self.tomorrow)",
                "/api/v2/monitors/200001/sla?from=\(Self.tomorrow)",
                "/api/v2/monitors/200003/sla?from=2027-01-01&to=2027-12-31",
            ] {
                let answer = try server.send(target)
                #expect(answer.status == 400, "\(target)")
                #expect(answer.header("Content-Type") == "application/json; charset=utf-8")
                #expect(try answer.json() == expected, "\(target)")
            }
        }
    }

    @Test("from today (or earlier) with a future to is fine; to before from is 400")
    func todayAndInverted() async throws {
        try await withSandbox { server in
            for target in [
                "/api/v2/monitors/200001/sla?from=\(Self.today)&to=\(Self.today)",
                "/api/v2/monitors/200001/sla?from=\(Self.today)&to=\(Self.tomorrow)",
                "/api/v2/monitors/200001/sla?from=\(Self.yesterday)",
                "/api/v2/monitors/200001/sla?to=\(Self.tomorrow)",
            ] {
                let answer = try server.send(target)
                #expect(answer.status == 200, "\(target): \(answer.text)")
                #expect(try answer.json()["data"]?["type"] == .string("monitor_sla"))
            }
            let inverted = try server.send("/api/v2/monitors/200001/sla?from=\(Self.today)&to=\(Self.yesterday)")
            #expect(inverted.status == 400)
            #expect(try inverted.json() == (try Fixtures.betterStack("sla-error-400.json")))
            let unparsable = try server.send("/api/v2/monitors/200001/sla?from=02.05.2026")
            #expect(unparsable.status == 400)
        }
    }

    @Test("Today follows the anchor in UTC: one millisecond before midnight, the next day is still the future")
    func utcDay() async throws {
        let lastMillisecond = Timestamp.parseISO8601("2026-05-02T23:59:59.999Z")!
        try await withSandbox(SandboxConfiguration(now: lastMillisecond)) { server async throws in
            #expect(try server.send("/api/v2/monitors/200001/sla?from=\(Self.today)").status == 200)
            #expect(try server.send("/api/v2/monitors/200001/sla?from=\(Self.tomorrow)").status == 400)
        }
        try await withSandbox(SandboxConfiguration(now: lastMillisecond + 1)) { server async throws in
            #expect(try server.send("/api/v2/monitors/200001/sla?from=\(Self.tomorrow)").status == 200)
        }
    }

    @Test("Heartbeat availability: the same rule, with its own wording ('before')")
    func heartbeat() async throws {
        try await withSandbox { server in
            let answer = try server.send("/api/v2/heartbeats/300001/availability?from=\(Self.tomorrow)")
            #expect(answer.status == 400)
            let message = try #require(try answer.json()["errors"]?.stringValue)
            #expect(message.hasPrefix("The data range is invalid."))
            #expect(message.hasSuffix("the end time is before the start time."))
        }
    }
}
