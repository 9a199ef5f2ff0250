import Sandbox
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The raw bytes of `Tests/Fixtures/statuspage/<name>`.
private func statuspageFixture(_ name: String) throws -> [UInt8] {
    let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    return Array(try Data(contentsOf: tests.appendingPathComponent("Fixtures/statuspage/\(name)")))
}

@Suite("Statuspage routes")
struct StatuspageRoutesTests {
    @Test(
        "Fixture pages serve the fixture files byte for byte",
        arguments: [
            ("discord/api/v2/summary.json", "discord-2022-02-summary.json"),
            ("discord/api/v2/status.json", "discord-2022-02-status.json"),
            ("discord/api/v2/components.json", "discord-2022-02-components.json"),
            ("discord/api/v2/incidents.json", "discord-2022-02-incidents.json"),
            ("discord/api/v2/incidents/unresolved.json", "discord-2022-02-incidents-unresolved.json"),
            ("discord/api/v2/scheduled-maintenances.json", "discord-2022-02-scheduled-maintenances.json"),
            ("incident-example/api/v2/summary.json", "summary-incident-example.json"),
        ]
    )
    func fixturesVerbatim(path: String, fixture: String) async throws {
        try await withSandbox { server in
            let result = try server.send("/statuspage/\(path)", token: nil)
            #expect(result.status == 200)
            #expect(result.header("Content-Type") == "application/json; charset=utf-8")
            #expect(result.body == (try statuspageFixture(fixture)))
        }
    }

    @Test("Sibling endpoints of the every-field page are cut from its summary")
    func incidentExampleSiblings() async throws {
        try await withSandbox { server in
            let summary = try JSONParser.parse(try statuspageFixture("summary-incident-example.json"))
            let base = "/statuspage/incident-example/api/v2"
            let status = try server.json("\(base)/status.json")
            #expect(status == .object([("page", summary["page"]!), ("status", summary["status"]!)]))
            #expect(try server.json("\(base)/components.json")["components"] == summary["components"])
            #expect(try server.json("\(base)/incidents/unresolved.json")["incidents"] == summary["incidents"])
            let active = try server.json("\(base)/scheduled-maintenances/active.json")
            #expect(active["scheduled_maintenances"] == summary["scheduled_maintenances"])
            let upcoming = try server.json("\(base)/scheduled-maintenances/upcoming.json")
            #expect(upcoming["scheduled_maintenances"] == .array([]))
        }
    }

    @Test("Generated pages: the kind follows the index, whatever the seed")
    func stableFacts() async throws {
        for seed: UInt64 in [1, 2] {
            try await withSandbox(SandboxConfiguration(statuspages: 5, seed: seed, now: testAnchor)) { server in
                func summary(_ index: Int) throws -> JSON {
                    try server.json("/statuspage/page-\(index)/api/v2/summary.json")
                }
                func componentStatuses(_ page: JSON) -> Set<String> {
                    Set(page["components"]?.arrayValue?.compactMap { $0["status"]?.stringValue } ?? [])
                }
                let one = try summary(1)
                #expect(one["status"]?["indicator"] == .string("none"))
                #expect(componentStatuses(one) == ["operational"])
                #expect(one["incidents"] == .array([]))
                #expect(one["scheduled_maintenances"]?.arrayValue?.first?["status"] == .string("scheduled"))

                let two = try summary(2)
                #expect(two["status"]?["indicator"] == .string("minor"))
                #expect(componentStatuses(two).contains("degraded_performance"))
                #expect(two["incidents"]?.arrayValue?.map { $0["impact"] } == [.string("minor")])

                let three = try summary(3)
                #expect(three["status"]?["indicator"] == .string("maintenance"))
                #expect(componentStatuses(three).contains("under_maintenance"))
                #expect(three["scheduled_maintenances"]?.arrayValue?.first?["status"] == .string("in_progress"))

                let four = try summary(4)
                #expect(four["status"]?["indicator"] == .string("critical"))
                #expect(componentStatuses(four).isSuperset(of: ["major_outage", "partial_outage"]))
                #expect(four["incidents"]?.arrayValue?.map { $0["impact"] } == [.string("critical"), .string("major")])

                let five = try summary(5)
                let names = five["components"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
                #expect(names.contains("Reports \"beta\""))
                #expect(names.contains("Regions"))

                // incidents.json carries the resolved history; unresolved.json only the open ones.
                let history = try server.json("/statuspage/page-4/api/v2/incidents.json")["incidents"]?.arrayValue ?? []
                #expect(history.count > 2)
                let open = try server.json("/statuspage/page-4/api/v2/incidents/unresolved.json")["incidents"]
                #expect(open == four["incidents"])
            }
        }
    }

    @Test("Same seed and anchor: byte-identical pages; another seed: other ids")
    func determinism() async throws {
        let configuration = SandboxConfiguration(statuspages: 4, seed: 9, now: testAnchor)
        let targets = (1...4).flatMap { index in
            ["summary.json", "incidents.json", "scheduled-maintenances.json"].map {
                "/statuspage/page-\(index)/api/v2/\($0)"
            }
        }
        let first = try await withSandbox(configuration) { server in try targets.map { try server.send($0).body } }
        let second = try await withSandbox(configuration) { server in try targets.map { try server.send($0).body } }
        #expect(first == second)
        var other = configuration
        other.seed = 10
        let third = try await withSandbox(other) { server in try targets.map { try server.send($0).body } }
        #expect(first[0] != third[0])
    }

    @Test("Unknown pages answer 404; generated slugs stop at N")
    func unknownPages() async throws {
        try await withSandbox(SandboxConfiguration(statuspages: 2, now: testAnchor)) { server in
            #expect(try server.send("/statuspage/page-2/api/v2/summary.json").status == 200)
            for slug in ["page-3", "page-0", "page-01", "nope"] {
                #expect(try server.send("/statuspage/\(slug)/api/v2/summary.json").status == 404, "\(slug)")
            }
            let pages = try server.json("/_sandbox/statuspages")["pages"]?.arrayValue ?? []
            #expect(
                pages.compactMap { $0["slug"]?.stringValue } == ["discord", "incident-example", "page-1", "page-2"]
            )
        }
    }

    @Test("Statuspage routes are counted and faulted under their names")
    func statsAndFaults() async throws {
        try await withSandbox { server in
            #expect(server.routeNames.contains(.statuspageSummary))
            server.setFault(Fault(route: .statuspageSummary, status: 503, count: 1))
            #expect(try server.send("/statuspage/discord/api/v2/summary.json").status == 503)
            #expect(try server.send("/statuspage/discord/api/v2/summary.json").status == 200)
            #expect(try server.send("/statuspage/discord/api/v2/status.json").status == 200)
            #expect(try server.send("/statuspage/discord/api/v2/incidents/unresolved.json").status == 200)
            #expect(server.requestCount(.statuspageSummary) == 2)
            #expect(server.requestCount(.statuspageStatus) == 1)
            #expect(server.requestCount(.statuspageIncidents) == 1)

            server.setFault(Fault(route: .statuspageSummary, reset: true, count: 1))
            #expect(try server.send("/statuspage/discord/api/v2/summary.json").wasReset)
            server.setFault(Fault(route: .statuspageSummary, garbage: true, count: 1))
            let garbage = try server.send("/statuspage/discord/api/v2/summary.json")
            #expect(garbage.header("Content-Type")?.hasPrefix("text/html") == true)
        }
    }
}
