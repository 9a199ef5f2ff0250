import BetterStack
import TestSupport
import Testing

@Suite("Client pagination")
struct ClientPaginationTests {
    @Test("monitors() follows pagination.next verbatim across three pages")
    func threePages() async throws {
        let outcome = try await Scenarios.paginated(pages: 3)
        #expect(outcome.error == nil)
        #expect(outcome.value == "1,2,3,4,5,6")
        #expect(
            outcome.requests.map(\.url) == [
                "https://uptime.example.test/api/v2/monitors?per_page=2",
                "https://uptime.example.test/api/v2/monitors?per_page=2&page=2",
                "https://uptime.example.test/api/v2/monitors?per_page=2&page=3",
            ]
        )
        #expect(outcome.events.map(\.endpoint) == ["monitors", "monitors", "monitors"])
    }

    @Test("firstMonitor(withURL:) finds a monitor on the last page and stops there")
    func lookupOnLastPage() async throws {
        let outcome = try await Scenarios.firstMonitorOnLastPage()
        #expect(outcome.value == "8")
        #expect(outcome.requests.count == 4)
    }

    @Test("firstMonitor(withURL:) stops paging as soon as it finds the monitor")
    func lookupStopsEarly() async throws {
        let harness = try ClientHarness(transport: Scenarios.monitorPages(pages: 5))
        let outcome = await harness.run { client in
            try await client.firstMonitor(withURL: "https://site3.example.org/health", perPage: 2)?.id ?? "none"
        }
        #expect(outcome.value == "3")
        #expect(outcome.requests.count == 2)
    }

    @Test("firstMonitor(withURL:) returns nil after the last page when nothing matches")
    func lookupMissing() async throws {
        let harness = try ClientHarness(transport: Scenarios.monitorPages(pages: 3))
        let outcome = await harness.run { client in
            try await client.firstMonitor(withURL: "https://nowhere.example.org", perPage: 2)?.id ?? "none"
        }
        #expect(outcome.value == "none")
        #expect(outcome.requests.count == 3)
    }

    @Test("monitors(url:) sends the filter and keeps only exact matches")
    func urlFilter() async throws {
        let harness = try ClientHarness(transport: Scenarios.monitorPages(pages: 3))
        let outcome = await harness.run { client in
            try await client.monitors(url: "https://site5.example.org/health", perPage: 2).map(\.id).joined(
                separator: ","
            )
        }
        #expect(outcome.value == "5")
        #expect(
            outcome.requests.first?.url
                == "https://uptime.example.test/api/v2/monitors?per_page=2&url=https%3A%2F%2Fsite5.example.org%2Fhealth"
        )
    }

    @Test("A next link pointing back to an earlier page stops instead of looping")
    func loopGuard() async throws {
        let transport = MockTransport { request, _ in
            let isPageTwo = request.url.hasSuffix("page=2")
            let next =
                isPageTwo
                ? "https://uptime.example.test/api/v2/heartbeats?page=1"
                : "https://uptime.example.test/api/v2/heartbeats?page=2"
            return .json(200, #"{"data":[{"id":"\#(isPageTwo ? 2 : 1)"}],"pagination":{"next":"\#(next)"}}"#)
        }
        let harness = try ClientHarness(transport: transport)
        let outcome = await harness.run { client in
            try await client.heartbeats(perPage: 1).map(\.id).joined(separator: ",")
        }
        // page 1 is first fetched as ?per_page=1, then ?page=2, then ?page=1 again (a new URL), then ?page=2 repeats.
        #expect(outcome.requests.count == 3)
        #expect(outcome.value == "1,2,1")
        #expect(outcome.logs.contains { $0.contains("pagination loop") })
    }

    @Test("A next link on another host is re-rooted onto the configured base (token stays home)")
    func foreignNext() async throws {
        let transport = MockTransport { request, index in
            index == 0
                ? .json(
                    200,
                    #"{"data":[{"id":"1"}],"pagination":{"next":"https://evil.example.net/api/v2/status-pages?page=2"}}"#
                )
                : .json(200, #"{"data":[{"id":"2"}],"pagination":{"next":null}}"#)
        }
        let harness = try ClientHarness(baseURL: "http://127.0.0.1:8081", transport: transport)
        let outcome = await harness.run { client in try await client.statusPages().map(\.id).joined(separator: ",") }
        #expect(outcome.value == "1,2")
        #expect(outcome.requests.map(\.url).last == "http://127.0.0.1:8081/api/v2/status-pages?page=2")
    }

    @Test("Relative next links are resolved against the base origin")
    func relativeNext() async throws {
        let transport = MockTransport { _, index in
            index == 0
                ? .json(200, #"{"data":[{"id":"1"}],"pagination":{"next":"/api/v3/incidents?page=2"}}"#)
                : .json(200, #"{"data":[],"pagination":{"next":""}}"#)
        }
        let harness = try ClientHarness(transport: transport)
        let outcome = await harness.run { client in try await client.incidents().map(\.id).joined(separator: ",") }
        #expect(outcome.value == "1")
        #expect(outcome.requests.map(\.url).last == "https://uptime.example.test/api/v3/incidents?page=2")
    }

    @Test("incidents(filter:) sends every filter and stops at the limit")
    func incidentFilter() async throws {
        let transport = MockTransport { request, index in
            .json(
                200,
                #"{"data":[{"id":"\#(index * 2 + 1)"},{"id":"\#(index * 2 + 2)"}],"#
                    + #""pagination":{"next":"https://uptime.example.test/api/v3/incidents?page=\#(index + 2)"}}"#
            )
        }
        let harness = try ClientHarness(transport: transport)
        let filter = IncidentFilter(
            from: UTCDay("2026-05-01"),
            to: UTCDay(epochMilliseconds: ISO8601Timestamp.parseMilliseconds("2026-05-02T23:59:59Z")!),
            monitorID: "41",
            heartbeatID: "7",
            resolved: false,
            acknowledged: true,
            perPage: 500,
            limit: 3
        )
        let outcome = await harness.run { client in
            try await client.incidents(filter: filter).map(\.id).joined(separator: ",")
        }
        #expect(outcome.value == "1,2,3,4")
        #expect(
            outcome.requests.first?.url
                == "https://uptime.example.test/api/v3/incidents?per_page=50&from=2026-05-01&to=2026-05-02"
                + "&monitor_id=41&heartbeat_id=7&resolved=false&acknowledged=true"
        )
        #expect(outcome.requests.count == 2)
    }

    @Test("The page limit stops a server that never ends")
    func pageLimit() async throws {
        let transport = MockTransport { _, index in
            .json(
                200,
                #"{"data":[{"id":"\#(index)"}],"pagination":{"next":"https://uptime.example.test/api/v2/heartbeats?page=\#(index + 2)"}}"#
            )
        }
        let harness = try ClientHarness(transport: transport)
        var limited = harness.client
        limited.maxPages = 5
        let client = limited
        let outcome = await harness.run { _ in try await client.heartbeats().count.description }
        #expect(outcome.value == "5")
        #expect(outcome.logs.contains { $0.contains("page limit") })
    }
}
