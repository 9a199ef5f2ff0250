import Sandbox
import Testing

/// Every payload has the keys and JSON kinds of its upstream example, recursively.
@Suite("Payload shapes match the upstream fixtures")
struct PayloadShapeTests {
    /// Nulls the reference allows where the example shows a value: `url` is null for Playwright
    /// monitors (the vendor's Terraform provider, BetterStackHQ/terraform-provider-better-uptime,
    /// TestDataMonitorSkipsNullURL); `monitor_group_id`,
    /// `required_keyword`, `domain_expiration`, `maintenance_from`/`_to` are null in upstream's
    /// monitor test fixture (`monitor-with-relationships.json`); `last_checked_at` is null for a
    /// pending monitor that was never checked (Better Stack's API documentation lists them as nullable).
    static func monitorRules(prefix: String) -> JSONShape.Rules {
        let nullable = [
            "url", "monitor_group_id", "required_keyword", "domain_expiration", "maintenance_from",
            "maintenance_to", "last_checked_at",
        ]
        return JSONShape.Rules(nullable: Set(nullable.map { "\(prefix).attributes.\($0)" }))
    }

    /// 60 monitors cover every type and status, including a null-URL Playwright monitor.
    static let configuration = SandboxConfiguration(monitors: 60, heartbeats: 6, now: testAnchor)

    private func check(
        _ fixture: String,
        against payloads: [JSON],
        rules: JSONShape.Rules = .init(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let shape = JSONShape(examples: [try Fixtures.betterStack(fixture)])
        var rules = rules
        // Better Stack's pagination (API documentation, "Pagination"): `prev` is null on the first page,
        // `next` on the last.
        rules.nullable.formUnion(["pagination.prev", "pagination.next"])
        for payload in payloads {
            let problems = shape.problems(in: payload, rules: rules)
            #expect(problems.isEmpty, "\(fixture): \(problems.prefix(10))", sourceLocation: sourceLocation)
        }
    }

    @Test("monitors.json and monitor.json")
    func monitors() async throws {
        try await withSandbox(Self.configuration) { server in
            let pages = try (1...2).map { try server.json("/api/v2/monitors?page=\($0)") }
            try check("monitors.json", against: pages, rules: Self.monitorRules(prefix: "data[]"))
            let statuses = Set(
                pages.flatMap { $0["data"]?.arrayValue ?? [] }.compactMap { $0["attributes"]?["status"]?.stringValue }
            )
            #expect(statuses == ["up", "down", "paused", "maintenance", "pending", "validating"])
            let singles = try [200_001, 200_003, 200_007, 200_013, 200_017, 200_029].map {
                try server.json("/api/v2/monitors/\($0)")
            }
            try check("monitor.json", against: singles, rules: Self.monitorRules(prefix: "data"))
            #expect(singles.last?["data"]?["attributes"]?["url"] == .null)  // the Playwright monitor
        }
    }

    @Test("response-times.json, sla.json, heartbeat-availability.json")
    func timingsAndAvailability() async throws {
        try await withSandbox(Self.configuration) { server in
            let times = try [200_001, 200_009, 200_013].map { try server.json("/api/v2/monitors/\($0)/response-times") }
            try check("response-times.json", against: times)
            let slas = try [
                "/api/v2/monitors/200001/sla", "/api/v2/monitors/200003/sla?from=2026-04-01&to=2026-05-02",
            ].map { try server.json($0) }
            try check("sla.json", against: slas)
            let availability = try server.json("/api/v2/heartbeats/300002/availability")
            try check("heartbeat-availability.json", against: [availability])
            for payload in slas + [availability] {
                let attributes = payload["data"]?["attributes"]
                for key in ["total_downtime", "number_of_incidents", "longest_incident", "average_incident"] {
                    guard case .int = attributes?[key] else {
                        Issue.record("\(key) is not an integer")
                        continue
                    }
                }
            }
        }
    }

    @Test("incidents-v3.json and incidents-v2.json (metadata is a map)")
    func incidents() async throws {
        try await withSandbox(Self.configuration) { server in
            let maps = JSONShape.Rules(maps: ["data[].attributes.metadata"])
            let v3 = try server.json("/api/v3/incidents?per_page=50")
            let v2 = try server.json("/api/v2/incidents?per_page=50")
            try check("incidents-v3.json", against: [v3], rules: maps)
            try check("incidents-v2.json", against: [v2], rules: maps)
            let statuses = Set((v3["data"]?.arrayValue ?? []).compactMap { $0["attributes"]?["status"]?.stringValue })
            #expect(statuses.isSubset(of: ["Unconfirmed", "Started", "Acknowledged", "Resolved", "Validating"]))
            #expect(statuses.contains("Resolved"))
        }
    }

    @Test("heartbeats.json, status-pages.json, status-page-resources.json")
    func heartbeatsAndStatusPages() async throws {
        try await withSandbox(Self.configuration) { server in
            try check("heartbeats.json", against: [try server.json("/api/v2/heartbeats")])
            try check("status-pages.json", against: [try server.json("/api/v2/status-pages")])
            let resources = try ["500001", "500002"].map { try server.json("/api/v2/status-pages/\($0)/resources") }
            try check("status-page-resources.json", against: resources)
            let fraction = resources[0]["data"]?[0]?["attributes"]?["availability"]?.doubleValue ?? -1
            #expect((0...1).contains(fraction))
        }
    }

    @Test("Error bodies are upstream's, word for word")
    func errorBodies() async throws {
        try await withSandbox { server in
            let unauthorized = try server.send("/api/v2/monitors", token: "wrong")
            #expect(unauthorized.status == 401)
            #expect(try unauthorized.json() == (try Fixtures.betterStack("error-401.json")))
            let missing = try server.send("/api/v2/monitors", token: nil)
            #expect(missing.status == 401)
            #expect(try missing.json() == (try Fixtures.betterStack("error-401.json")))

            for target in [
                "/api/v2/monitors/999", "/api/v2/monitors/abc/sla", "/api/v2/monitors/1/response-times",
                "/api/v2/heartbeats/1", "/api/v2/status-pages/7/resources",
            ] {
                let notFound = try server.send(target)
                #expect(notFound.status == 404, "\(target)")
                #expect(try notFound.json() == (try Fixtures.betterStack("error-404.json")), "\(target)")
            }

            let unprocessable = try server.send(
                "/api/v2/heartbeats",
                method: "POST",
                body: Array(#"{"period":60}"#.utf8)
            )
            #expect(unprocessable.status == 422)
            #expect(try unprocessable.json() == (try Fixtures.betterStack("error-422.json")))
            let created = try server.send("/api/v2/heartbeats", method: "POST", body: Array(#"{"name":"Job"}"#.utf8))
            #expect(created.status == 201)
            #expect(try created.json()["data"]?["attributes"]?["name"] == .string("Job"))
        }
    }

    @Test("Bad SLA ranges answer 400 with upstream's body")
    func badRanges() async throws {
        try await withSandbox { server in
            let expected = try Fixtures.betterStack("sla-error-400.json")
            for query in [
                "from=yesterday", "from=2026-02-30", "from=2026-05-03", "from=2026-05-01&to=2026-04-30",
                "to=2026/04/30",
            ] {
                let result = try server.send("/api/v2/monitors/200001/sla?\(query)")
                #expect(result.status == 400, "\(query)")
                #expect(try result.json() == expected, "\(query)")
            }
            // Today and a future end are fine.
            #expect(try server.send("/api/v2/monitors/200001/sla?from=2026-05-02&to=2026-06-01").status == 200)
            // The heartbeat endpoint's wording says "before", as its docs do.
            let heartbeat = try server.send("/api/v2/heartbeats/300001/availability?from=2026-05-01&to=2026-04-01")
            #expect(heartbeat.status == 400)
            #expect(heartbeat.text.contains("the end time is before the start time."))
        }
    }
}
