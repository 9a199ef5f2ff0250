import TestSupport
import BetterStack
import Foundation
import Functions
import Sandbox
@testable import Statuspage
import Testing

/// `GET /metrics` in process against the in-process sandbox (Better Stack and Statuspage pages).
@Suite("GET /metrics")
struct MetricsTests {
    static let fixturePages = ["discord", "incident-example"]
    /// Both fixture pages and the generated `page-1…page-5` (page-5 has a component named `Reports "beta"`).
    static let allPages = (fixturePages + (1...5).map { "page-\($0)" }).map(BridgeUnderTest.StatuspagePage.init)

    func scrape(_ bridge: BridgeUnderTest, sourceLocation: SourceLocation = #_sourceLocation) async throws -> (
        BridgeUnderTest.Answer, Exposition
    ) {
        let answer = await bridge.get("/metrics")
        #expect(answer.status == 200, "\(answer.body)", sourceLocation: sourceLocation)
        return (answer, try Exposition(answer.body))
    }

    /// Scrapes until every configured upstream was read in time (a cold scrape of a busy machine
    /// may miss a short budget).
    func warmUp(_ bridge: BridgeUnderTest, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Exposition
    {
        for _ in 0..<50 {
            let (_, exposition) = try await scrape(bridge, sourceLocation: sourceLocation)
            let up = exposition.samples(named: "uptime_bridge_upstream_up")
            if !up.isEmpty, up.allSatisfy({ $0.value == 1 }) { return exposition }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the upstreams never answered in time", sourceLocation: sourceLocation)
        return try await scrape(bridge, sourceLocation: sourceLocation).1
    }

    func value(_ exposition: Exposition, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        exposition.samples.first { $0.name == name && $0.labels == labels }?.value
    }

    @Test("Text format 0.0.4, HELP and TYPE for every family, and promtool check metrics passes")
    func exposition() async throws {
        try await withMetricsBridge(statuspages: 5, pages: Self.allPages) { bridge in
            let (answer, exposition) = try await scrape(bridge)
            #expect(answer.headers["Content-Type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(answer.headers["Cache-Control"] == "no-store")
            for family in exposition.families {
                #expect(exposition.help[family] != nil, "no HELP for \(family)")
                #expect(exposition.types[family] != nil, "no TYPE for \(family)")
            }
            for sample in exposition.samples {
                let family = exposition.families.first { sample.name == $0 || sample.name.hasPrefix($0 + "_") }
                #expect(family != nil, "\(sample.name) belongs to no declared family")
            }
            for family in [
                "betterstack_monitor_up", "betterstack_monitor_status", "betterstack_monitor_response_time_seconds",
                "betterstack_monitor_availability_ratio", "betterstack_heartbeat_up", "statuspage_service_status",
                "statuspage_component_status", "uptime_bridge_upstream_up", "uptime_bridge_cache_hits_total",
            ] {
                #expect(exposition.families.contains(family), "missing \(family)")
            }
            // Label values are escaped: a component named `Reports "beta"` on page-5.
            #expect(answer.body.contains(#"component_name="Reports \"beta\"""#))
            #expect(
                exposition.samples.contains { $0.labels["component_name"] == #"Reports "beta""# }
            )
            try Promtool.expectClean(Array(answer.body.utf8), "/metrics with the sandbox's data and every page")
        }
    }

    @Test("promtool check metrics passes on /metrics for each Statuspage fixture page alone", arguments: fixturePages)
    func promtoolPerFixture(slug: String) async throws {
        try await withMetricsBridge(pages: [.init(slug)]) { bridge in
            let (answer, exposition) = try await scrape(bridge)
            #expect(!exposition.samples(named: "statuspage_component_status").isEmpty)
            try Promtool.expectClean(Array(answer.body.utf8), "/metrics with \(slug)")
        }
    }

    @Test("Better Stack families carry the sandbox's data")
    func betterStackValues() async throws {
        try await withMetricsBridge { bridge in
            let (_, exposition) = try await scrape(bridge)
            // The sandbox's stable facts: 200001 up (180 s, four regions), 200003 down with an open
            // incident, 200004 paused; heartbeat 300002 down.
            #expect(value(exposition, "betterstack_monitor_up", ["monitor_id": "200001"]) == 1)
            #expect(value(exposition, "betterstack_monitor_up", ["monitor_id": "200003"]) == 0)
            #expect(value(exposition, "betterstack_monitor_status", ["monitor_id": "200003", "state": "down"]) == 1)
            #expect(value(exposition, "betterstack_monitor_status", ["monitor_id": "200003", "state": "up"]) == 0)
            #expect(value(exposition, "betterstack_monitor_status", ["monitor_id": "200004", "state": "paused"]) == 1)
            for id in ["200001", "200002", "200003", "200004", "200005"] {
                let states = exposition.samples(named: "betterstack_monitor_status").filter {
                    $0.labels["monitor_id"] == id
                }
                #expect(states.count == 6, "one series per state for \(id)")
                #expect(states.map(\.value).reduce(0, +) == 1, "exactly one state set for \(id)")
            }
            #expect(value(exposition, "betterstack_monitor_check_frequency_seconds", ["monitor_id": "200001"]) == 180)
            #expect((value(exposition, "betterstack_monitor_open_incidents", ["monitor_id": "200003"]) ?? 0) >= 1)
            #expect(value(exposition, "betterstack_monitor_open_incidents", ["monitor_id": "200001"]) == 0)
            let info = exposition.samples(named: "betterstack_monitor_info").first {
                $0.labels["monitor_id"] == "200001"
            }
            #expect(
                info?.labels
                    == [
                        "monitor_id": "200001", "name": "Example homepage", "url": "https://example.com/",
                        "type": "status",
                    ]
            )
            #expect(info?.value == 1)

            // Latest response time per region and last check time equal what the sandbox serves.
            let upstream = try await bridge.upstreamJSON("/api/v2/monitors/200001/response-times") as? [String: Any]
            let regions =
                ((upstream?["data"] as? [String: Any])?["attributes"] as? [String: Any])?["regions"] as? [[String: Any]]
                ?? []
            #expect(regions.count == 4)
            for region in regions {
                let code = region["region"] as? String ?? ""
                let points = region["response_times"] as? [[String: Any]] ?? []
                let latest = points.last?["response_time"] as? Double
                #expect(
                    value(
                        exposition,
                        "betterstack_monitor_response_time_seconds",
                        ["monitor_id": "200001", "region": code]
                    )
                        == latest
                )
            }
            let monitor = try await bridge.upstreamJSON("/api/v2/monitors/200001") as? [String: Any]
            let lastChecked =
                ((monitor?["data"] as? [String: Any])?["attributes"] as? [String: Any])?["last_checked_at"] as? String
            let lastCheckedSeconds = lastChecked.flatMap { ISO8601Timestamp.parseMilliseconds($0) }.map {
                Double($0) / 1000
            }
            #expect(lastCheckedSeconds != nil)
            #expect(
                value(exposition, "betterstack_monitor_last_check_timestamp_seconds", ["monitor_id": "200001"])
                    == lastCheckedSeconds
            )

            // Availability: the SLA over the last 30 finished days, as a ratio.
            let today = UTCDay(epochMilliseconds: bridge.now)
            let sla =
                try await bridge.upstreamJSON(
                    "/api/v2/monitors/200003/sla?from=\(today.adding(days: -30))&to=\(today.adding(days: -1))"
                ) as? [String: Any]
            let percent =
                ((sla?["data"] as? [String: Any])?["attributes"] as? [String: Any])?["availability"] as? Double
            #expect(percent != nil)
            #expect(
                value(exposition, "betterstack_monitor_availability_ratio", ["monitor_id": "200003"]) == percent! / 100
            )
            for sample in exposition.samples(named: "betterstack_monitor_availability_ratio") {
                #expect((0...1).contains(sample.value))
            }

            #expect(value(exposition, "betterstack_heartbeat_up", ["heartbeat_id": "300001"]) == 1)
            #expect(value(exposition, "betterstack_heartbeat_up", ["heartbeat_id": "300002"]) == 0)
            #expect(
                value(exposition, "betterstack_heartbeat_status", ["heartbeat_id": "300002", "state": "down"]) == 1
            )
            // Never the secret ping URL.
            for sample in exposition.samples(named: "betterstack_heartbeat_info") {
                #expect(Set(sample.labels.keys) == ["heartbeat_id", "name"])
            }
            #expect(value(exposition, "uptime_bridge_upstream_up", ["upstream": "betterstack"]) == 1)
        }
    }

    static let timeValued: Set<String> = [
        "statuspage_response_time_seconds", "statuspage_application_timestamp", "statuspage_component_timestamp",
    ]

    @Test(
        "statuspage_* series equal statuspage-prometheus-exporter 2.6.0's real output for each fixture page",
        arguments: [
            ("incident-example", "statuspage-exporter-v2.6.0-incident.prom"),
            ("discord", "statuspage-exporter-v2.6.0-operational.prom"),
        ]
    )
    func exporterParity(slug: String, promFile: String) async throws {
        // The fixtures' services.json names the page "Example Cloud", key "example".
        try await withMetricsBridge(pages: [.init(key: "example", name: "Example Cloud", slug: slug)]) { bridge in
            let (_, ours) = try await scrape(bridge)
            let theirs = try Exposition(try Fixtures.text("prometheus/\(promFile)"))
            let statuspageFamilies = StatuspageMetricFamily.allCases.map(\.name)
            #expect(ours.families.filter { $0.hasPrefix("statuspage_") } == statuspageFamilies)
            for family in statuspageFamilies {
                #expect(ours.help[family] == theirs.help[family])
                #expect(ours.types[family] == theirs.types[family])
            }
            // Exact: everything but the time-valued gauges and the uptime history.
            let exactFamilies = Set(statuspageFamilies).subtracting(Self.timeValued).subtracting([
                "statuspage_uptime_percentage"
            ])
            let oursExact = ours.samples.filter { exactFamilies.contains($0.name) }
            let theirsExact = theirs.samples.filter { exactFamilies.contains($0.name) }
            #expect(oursExact.count == theirsExact.count)
            #expect(Set(oursExact) == Set(theirsExact))
            #expect(oursExact.map(\.series) == theirsExact.map(\.series))
            // The others: same series.
            let others = Set(statuspageFamilies).subtracting(exactFamilies)
            #expect(
                ours.samples.filter { others.contains($0.name) }.map(\.series)
                    == theirs.samples.filter { others.contains($0.name) }.map(\.series)
            )
        }
    }

    @Test("Pages are probed once per TTL; the exporter records a round only when fresh probes arrive")
    func statuspageTTL() async throws {
        let pages = Self.fixturePages.map(BridgeUnderTest.StatuspagePage.init)
        try await withMetricsBridge(pages: pages) { bridge in
            let (_, first) = try await scrape(bridge)
            #expect(bridge.sandbox.requestCount(.statuspageSummary) == 2)
            let stamp = value(first, "statuspage_application_timestamp", ["service_name": "Sandbox discord"])
            #expect(stamp != nil)
            try await Task.sleep(for: .milliseconds(20))
            for _ in 0..<3 {
                let (_, again) = try await scrape(bridge)
                #expect(value(again, "statuspage_application_timestamp", ["service_name": "Sandbox discord"]) == stamp)
            }
            #expect(bridge.sandbox.requestCount(.statuspageSummary) == 2, "scrapes within the TTL probe nothing")

            bridge.clock.advance(by: .seconds(61))
            let (_, later) = try await scrape(bridge)
            #expect(bridge.sandbox.requestCount(.statuspageSummary) == 4)
            let newStamp = value(later, "statuspage_application_timestamp", ["service_name": "Sandbox discord"])
            #expect((newStamp ?? 0) > (stamp ?? 0), "a new round is recorded")
            #expect(
                value(later, "statuspage_uptime_percentage", ["service_name": "Sandbox discord", "window": "24h"])
                    == 100
            )
        }
    }

    @Test("A warm scrape costs no upstream call")
    func warmScrapeIsFree() async throws {
        try await withMetricsBridge(pages: [.init("discord")]) { bridge in
            _ = try await scrape(bridge)
            let calls = bridge.upstreamCalls
            #expect(calls > 0)
            let (_, again) = try await scrape(bridge)
            #expect(bridge.upstreamCalls == calls)
            #expect((value(again, "uptime_bridge_cache_hits_total", ["cache": "betterstack"]) ?? 0) > 0)
        }
    }

    @Test("Stalled upstreams: the scrape answers within its budget with the last known values and up 0")
    func stalledUpstreams() async throws {
        let budget = Duration.milliseconds(400)
        // Upstream calls would wait 100 s for a 120 s stall: only the budget can end the scrape early.
        try await withMetricsBridge(pages: [.init("discord")], budget: budget, requestTimeout: .seconds(100)) {
            bridge in
            let warm = try await warmUp(bridge)
            #expect(value(warm, "uptime_bridge_upstream_up", ["upstream": "betterstack"]) == 1)
            #expect(value(warm, "uptime_bridge_upstream_up", ["upstream": "statuspage"]) == 1)

            bridge.sandbox.setFault(Fault(route: .all, latencyMilliseconds: 120_000))
            bridge.clock.advance(by: .seconds(600))  // every TTL expired, stale-if-error windows open
            let started = ContinuousClock.now
            let (_, stalled) = try await scrape(bridge)
            let elapsed = ContinuousClock.now - started
            // Generous for a loaded machine, and still far below the stall.
            #expect(elapsed < budget + .seconds(30), "took \(elapsed)")  // far below the stall; speed is the benchmark's job
            #expect(value(stalled, "uptime_bridge_upstream_up", ["upstream": "betterstack"]) == 0)
            #expect(value(stalled, "uptime_bridge_upstream_up", ["upstream": "statuspage"]) == 0)
            #expect(
                (value(stalled, "uptime_bridge_upstream_data_age_seconds", ["upstream": "betterstack"]) ?? 0) >= 600
            )
            #expect(
                (value(stalled, "uptime_bridge_scrape_budget_exceeded_total", ["upstream": "betterstack"]) ?? 0) >= 1
            )
            expectSameSeries(stalled, warm, prefix: "betterstack_")
            expectSameSeries(stalled, warm, prefix: "statuspage_service_status")
            expectSameSeries(stalled, warm, prefix: "statuspage_component_status")
            try Promtool.expectClean(Array(await bridge.get("/metrics").body.utf8), "/metrics while stalled")
        }
    }

    @Test("Upstreams down: last known values, up 0, within the budget")
    func upstreamsDown() async throws {
        try await withMetricsBridge(pages: [.init("discord")], budget: .seconds(2)) { bridge in
            let warm = try await warmUp(bridge)
            bridge.sandbox.setFault(Fault(route: .all, status: 503))
            bridge.clock.advance(by: .seconds(600))
            let started = ContinuousClock.now
            let (_, down) = try await scrape(bridge)
            #expect(ContinuousClock.now - started < .seconds(2) + .seconds(30))
            #expect(value(down, "uptime_bridge_upstream_up", ["upstream": "betterstack"]) == 0)
            #expect(value(down, "uptime_bridge_upstream_up", ["upstream": "statuspage"]) == 0)
            expectSameSeries(down, warm, prefix: "betterstack_")
            // The exporter's own rule: the last good answer stands in, probe_check stays 1.
            #expect(value(down, "statuspage_probe_check", ["service_name": "Sandbox discord"]) == 1)
            #expect((value(down, "uptime_bridge_cache_stale_serves_total", ["cache": "betterstack"]) ?? 0) > 0)
            #expect(
                (value(
                    down,
                    "uptime_bridge_upstream_requests_total",
                    ["upstream": "betterstack", "endpoint": "monitors", "status": "503"]
                ) ?? 0) >= 1
            )

            // Back up: the next scrape reloads and says so.
            bridge.sandbox.clearFaults()
            bridge.clock.advance(by: .seconds(600))
            let (_, recovered) = try await scrape(bridge)
            #expect(value(recovered, "uptime_bridge_upstream_up", ["upstream": "betterstack"]) == 1)
            #expect(value(recovered, "uptime_bridge_upstream_up", ["upstream": "statuspage"]) == 1)
        }
    }

    @Test("A cold scrape with stalled upstreams answers within the budget, with no data and up 0")
    func coldAndStalled() async throws {
        try await withMetricsBridge(pages: [.init("discord")], budget: .milliseconds(300), requestTimeout: .seconds(100))
        {
            bridge in
            bridge.sandbox.setFault(Fault(route: .all, latencyMilliseconds: 120_000))
            let started = ContinuousClock.now
            let (answer, exposition) = try await scrape(bridge)
            #expect(ContinuousClock.now - started < .seconds(30))  // the stall lasts 120 s
            #expect(value(exposition, "uptime_bridge_upstream_up", ["upstream": "betterstack"]) == 0)
            #expect(value(exposition, "uptime_bridge_upstream_up", ["upstream": "statuspage"]) == 0)
            #expect(exposition.samples(named: "betterstack_monitor_up").isEmpty)
            #expect(exposition.families.contains("betterstack_monitor_up"))
            #expect(exposition.families.contains("statuspage_service_status"))
            try Promtool.expectClean(Array(answer.body.utf8), "/metrics before any data")
        }
    }

    @Test("POST /metrics stays the JSON datasource's metric list; other methods are 405")
    func methods() async throws {
        try await withMetricsBridge { bridge in
            let post = try await bridge.post("/metrics", json: ["metric": "", "payload": [:] as [String: Any]])
            #expect(post.status == 200)
            #expect(post.headers["Content-Type"] == "application/json")
            #expect(post.array.contains { ($0 as? [String: Any])?["value"] as? String == "response_time" })
            for method in ["PUT", "DELETE", "PATCH"] {
                let response = await bridge.driver.send(method: method, uri: "/uptime/metrics")
                #expect(response.status == 405, "\(method)")
                let allow = response.headers["Allow"] ?? ""
                #expect(allow.contains("GET") && allow.contains("POST"), "\(method): Allow \(allow)")
            }
            let head = await bridge.driver.send(method: "HEAD", uri: "/uptime/metrics")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
        }
    }

    @Test("The bridge's own metrics: requests by function and status, upstream attempts, caches")
    func ownMetrics() async throws {
        try await withMetricsBridge(pages: [.init("discord")]) { bridge in
            let observe = bridge.services.telemetry.requestObserver(
                functions: Routes.router(settings: bridge.services.settings).paths
            )
            observe("/sla/", 200, 0.012)
            observe("/sla", 200, 0.003)
            observe("/wp-login.php", 404, 0.0001)
            observe("/metrics", 200, 0.2)
            let (answer, exposition) = try await scrape(bridge)
            #expect(value(exposition, "uptime_bridge_requests_total", ["function": "/sla", "status": "200"]) == 2)
            #expect(value(exposition, "uptime_bridge_requests_total", ["function": "unmatched", "status": "404"]) == 1)
            #expect(exposition.types["uptime_bridge_request_duration_seconds"] == "histogram")
            #expect(value(exposition, "uptime_bridge_request_duration_seconds_count", ["function": "/sla"]) == 2)
            #expect(
                value(exposition, "uptime_bridge_request_duration_seconds_bucket", ["function": "/sla", "le": "0.005"])
                    == 1
            )
            #expect(
                (value(
                    exposition,
                    "uptime_bridge_upstream_requests_total",
                    ["upstream": "betterstack", "endpoint": "monitors", "status": "200"]
                ) ?? 0) >= 1
            )
            #expect(
                value(
                    exposition,
                    "uptime_bridge_upstream_requests_total",
                    ["upstream": "statuspage", "endpoint": "summary", "status": "200"]
                ) == 1
            )
            #expect(
                value(
                    exposition,
                    "uptime_bridge_upstream_request_duration_seconds_count",
                    ["upstream": "statuspage", "endpoint": "summary"]
                ) == 1
            )
            #expect((value(exposition, "uptime_bridge_cache_misses_total", ["cache": "betterstack"]) ?? 0) > 0)
            #expect((value(exposition, "uptime_bridge_cache_entries", ["cache": "betterstack"]) ?? 0) > 0)
            #expect(value(exposition, "uptime_bridge_info", ["version": "test"]) == 1)
            try Promtool.expectClean(Array(answer.body.utf8), "/metrics with request metrics")
        }
    }

    @Test("The monitor allowlist holds for /metrics, fresh and from last known values")
    func allowlist() async throws {
        let allowed: Set<String> = ["200001", "200003"]
        let shown = { (exposition: Exposition) in
            Set(
                exposition.samples.filter { $0.name.hasPrefix("betterstack_monitor_") }
                    .compactMap { $0.labels["monitor_id"] }
            )
        }
        try await withMetricsBridge(
            budget: .milliseconds(400),
            requestTimeout: .seconds(100),
            allowlist: ["200001", "Shop 3"]
        ) { bridge in
            let warm = try await warmUp(bridge)
            #expect(shown(warm) == allowed)

            bridge.sandbox.setFault(Fault(route: .all, latencyMilliseconds: 120_000))
            bridge.clock.advance(by: .seconds(600))
            let (_, stalled) = try await scrape(bridge)
            #expect(value(stalled, "uptime_bridge_upstream_up", ["upstream": "betterstack"]) == 0)
            #expect(shown(stalled) == allowed)
        }
    }

    /// Same series (names and labels) with the same values, for the families starting with `prefix`.
    func expectSameSeries(
        _ ours: Exposition,
        _ before: Exposition,
        prefix: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let now = ours.samples.filter { $0.name.hasPrefix(prefix) }
        let then = before.samples.filter { $0.name.hasPrefix(prefix) }
        #expect(!then.isEmpty, "no \(prefix) series before", sourceLocation: sourceLocation)
        #expect(Set(now) == Set(then), "\(prefix) series changed", sourceLocation: sourceLocation)
    }
}

func withMetricsBridge(
    statuspages: Int = 3,
    pages: [BridgeUnderTest.StatuspagePage] = [],
    // Generous by default: on a loaded CI machine the sandbox can take seconds, and only the tests
    // about the budget should ever hit it.
    budget: Duration = .seconds(30),
    requestTimeout: Duration = .seconds(20),
    allowlist: [String] = [],
    _ body: (BridgeUnderTest) async throws -> Void
) async throws {
    let bridge = try await BridgeUnderTest(
        requestTimeout: requestTimeout,
        statuspages: statuspages,
        statuspagePages: pages,
        metrics: MetricsSettings(scrapeBudget: budget),
        allowlist: allowlist
    )
    do {
        try await body(bridge)
    } catch {
        await bridge.stop()
        throw error
    }
    await bridge.stop()
}
