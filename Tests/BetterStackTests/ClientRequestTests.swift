import BetterStack
import TestSupport
import Testing

@Suite("Client request shape and observability")
struct ClientRequestTests {
    @Test("Requests carry Bearer auth, Accept JSON, User-Agent and the configured timeout")
    func headers() async throws {
        let harness = try ClientHarness([.bytes(200, try Fixtures.bytes("monitor.json"))])
        _ = await harness.run { client in try await client.monitor(id: "123456789").id }
        let request = try #require(harness.transport.requests.first)
        #expect(request.method == "GET")
        #expect(request.headers["authorization"] == "Bearer \(TestSecrets.apiToken)")
        #expect(request.headers["Accept"] == "application/json")
        #expect(request.headers["User-Agent"] == "uptime-bridge")
        #expect(request.timeout == .seconds(10))
        #expect(request.body == nil)
    }

    @Test("Endpoint paths match the Better Stack API")
    func paths() async throws {
        let transport = MockTransport { request, _ in
            let path = request.url.replacingPrefix("https://uptime.example.test")
            let fixture: String
            switch path.split(separator: "?").first.map(String.init) ?? "" {
            case "/api/v2/monitors/41/response-times": fixture = "response-times.json"
            case "/api/v2/monitors/41/sla": fixture = "sla.json"
            case "/api/v2/heartbeats": fixture = "heartbeats.json"
            case "/api/v2/heartbeats/12345": fixture = "heartbeat-one"
            case "/api/v2/heartbeats/12345/availability": fixture = "heartbeat-availability.json"
            case "/api/v2/status-pages": fixture = "status-pages.json"
            case "/api/v2/status-pages/123456789/resources": fixture = "status-page-resources.json"
            case "/api/v3/incidents": fixture = "incidents-v3.json"
            default: return .json(404, #"{"errors":"no route \#(path)"}"#)
            }
            if fixture == "heartbeat-one" {
                return .json(
                    200,
                    #"{"data":{"id":"12345","type":"heartbeat","attributes":{"name":"Backup","status":"down"}}}"#
                )
            }
            return .bytes(200, (try? Fixtures.bytes(fixture)) ?? [])
        }
        let harness = try ClientHarness(transport: transport)
        let client = harness.client
        let times = try await client.responseTimes(monitorID: "41")
        #expect(times.regions.map(\.region) == ["us", "eu"])
        let sla = try await client.sla(
            monitorID: "41",
            from: UTCDay(year: 2026, month: 4, day: 1),
            to: UTCDay(year: 2026, month: 4, day: 30)
        )
        #expect(sla.availability == 99.98)
        #expect(try await client.heartbeats().map(\.id) == ["12345"])
        #expect(try await client.heartbeat(id: "12345").status == .down)
        #expect(try await client.heartbeatAvailability(id: "12345", from: UTCDay("2026-01-01")).availability == 99.98)
        #expect(try await client.statusPages().first?.companyName == "Best company")
        #expect(try await client.statusPageResources(statusPageID: "123456789").first?.availability == 0.99963)
        #expect(try await client.incidents(filter: IncidentFilter(resolved: false)).count == 2)

        let urls = harness.transport.requests.map { $0.url.replacingPrefix("https://uptime.example.test") }
        #expect(
            urls == [
                "/api/v2/monitors/41/response-times",
                "/api/v2/monitors/41/sla?from=2026-04-01&to=2026-04-30",
                "/api/v2/heartbeats?per_page=250",
                "/api/v2/heartbeats/12345",
                "/api/v2/heartbeats/12345/availability?from=2026-01-01",
                "/api/v2/status-pages?per_page=250",
                "/api/v2/status-pages/123456789/resources?per_page=250",
                "/api/v3/incidents?per_page=50&resolved=false",
            ]
        )
        #expect(
            harness.events.all.map(\.endpoint) == [
                "response_times", "sla", "heartbeats", "heartbeat", "heartbeat_availability", "status_pages",
                "status_page_resources", "incidents",
            ]
        )
    }

    @Test("A base URL with a path prefix keeps it")
    func pathPrefix() async throws {
        let harness = try ClientHarness(
            baseURL: "http://127.0.0.1:8081/betterstack/",
            transport: MockTransport([.bytes(200, try Fixtures.bytes("sla.json"))])
        )
        _ = await harness.run { client in try await client.sla(monitorID: "1").subjectID }
        #expect(harness.transport.requests.first?.url == "http://127.0.0.1:8081/betterstack/api/v2/monitors/1/sla")
    }

    @Test("The observer sees one event per attempt with endpoint, status and duration")
    func observerEvents() async throws {
        let outcome = try await Scenarios.serverErrorThenSuccess()
        #expect(outcome.events.map(\.endpoint) == ["response_times", "response_times", "response_times"])
        #expect(outcome.events.map(\.outcomeLabel) == ["502", "503", "200"])
        #expect(outcome.events.map(\.attempt) == [1, 2, 3])
        #expect(outcome.events.allSatisfy { $0.durationSeconds >= 0 && $0.method == "GET" })
    }

    @Test("Each attempt is logged at debug level with endpoint, redacted URL and outcome")
    func attemptLogs() async throws {
        let outcome = try await Scenarios.serverErrorThenSuccess()
        let attempts = outcome.logs.filter { $0.contains("upstream attempt") }
        #expect(attempts.count == 3)
        #expect(attempts.allSatisfy { $0.hasPrefix("debug") })
        #expect(attempts.first?.contains("endpoint=response_times") == true)
        #expect(attempts.first?.contains("outcome=502") == true)
        #expect(
            attempts.first?.contains("url=https://uptime.example.test/api/v2/monitors/270985/response-times") == true
        )
    }
}

extension String {
    func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
