import Foundation
import TestSupport
import Testing

/// Every request body built as the plugins' own code builds it (TestSupport/GrafanaPlugins.swift
/// cites the plugin files and lines), against the in-process sandbox.
@Suite struct GrafanaPluginRequestTests {
    func names(_ answer: BridgeUnderTest.Answer) -> [String] {
        answer.array.compactMap { ($0 as? [String: Any])?["target"] as? String }
    }

    /// The monitors of an answer's series (`<monitor> <region>`).
    func monitors(_ answer: BridgeUnderTest.Answer) -> Set<String> {
        Set(names(answer).map { String($0.split(separator: " ").dropLast().joined(separator: " ")) })
    }

    /// simPod `VariableSupport.ts` l.22-52: the shipped dashboard's variable, saved as the editor
    /// saves it, resolves to the monitors (`__text`/`__value`, as `response_parser.ts` reads them).
    @Test func theShippedDashboardVariableResolvesToMonitors() async throws {
        try await withBridge { bridge in
            let body = try SimPodJSON.variableBody(
                savedQuery: ["query": "label_values(monitor)", "format": "string"],
                variables: TemplateVariables(),
                from: bridge.now - 3_600_000,
                to: bridge.now
            )
            #expect((body["payload"] as? [String: Any])?["target"] as? String == "label_values(monitor)")
            let answer = try await bridge.post("/variable", json: body)
            #expect(answer.status == 200)
            let rows = answer.array.compactMap { $0 as? [String: Any] }
            #expect(rows.count == 5)
            #expect(rows.allSatisfy { $0["__text"] is String && $0["__value"] is String })
            #expect(rows.contains { $0["__text"] as? String == "Example homepage" })
            // The legacy `{payload: …}` shape the dashboard used to have: the plugin sends an empty
            // target, which answers the target list, not monitors (why the dashboard was fixed).
            let legacy = try SimPodJSON.variableBody(
                savedQuery: ["payload": "label_values(monitor)", "format": "string"],
                variables: TemplateVariables(),
                from: bridge.now - 3_600_000,
                to: bridge.now
            )
            #expect((legacy["payload"] as? [String: Any])?["target"] as? String == "")
        }
    }

    /// `listMetrics` (l.163-195) and `listMetricPayloadOptions` (l.139-161).
    @Test func metricListsAndPayloadOptions() async throws {
        try await withBridge { bridge in
            let code = try await bridge.post("/metrics", json: SimPodJSON.metricsBody(metric: nil, payload: nil, variables: .init()))
            #expect(code.status == 200)
            let values = code.array.compactMap { ($0 as? [String: Any])?["value"] as? String }
            #expect(values.contains("response_time") && values.contains("availability"))
            let builder = try await bridge.post(
                "/metrics",
                json: SimPodJSON.metricsBody(metric: "response_time", payload: ["region": "us"], variables: .init())
            )
            #expect(builder.status == 200)
            let options = try await bridge.post(
                "/metric-payload-options",
                json: SimPodJSON.metricPayloadOptionsBody(name: "monitor", metric: "response_time", payload: [:], variables: .init())
            )
            #expect(options.status == 200)
            let monitors = options.array.compactMap { ($0 as? [String: Any])?["value"] as? String }
            #expect(monitors.contains("Example homepage"))
        }
    }

    /// An object payload (the builder) is regex-interpolated: a monitor named by its URL arrives as
    /// `https:\/\/example\.com\/` and must still be found (`processPayload`, l.230-257).
    @Test func regexEscapedPayloadValuesFindTheirMonitor() async throws {
        try await withBridge { bridge in
            let variables = TemplateVariables(["monitor": ["https://example.com/"]])
            let body = SimPodJSON.queryBody(
                targets: [["refId": "A", "target": "response_time", "editorMode": "builder", "payload": ["monitor": "$monitor", "region": "eu"]]],
                variables: variables,
                from: bridge.now - 3_600_000,
                to: bridge.now
            )
            let payload = ((body["targets"] as! [[String: Any]])[0]["payload"] as! [String: Any])
            #expect(payload["monitor"] as? String == #"https:\/\/example\.com\/"#)
            let answer = try await bridge.post("/query", json: body)
            #expect(answer.status == 200, "\(answer.body.prefix(300))")
            #expect(names(answer) == ["Example homepage eu"])
        }
    }

    /// Multi-value variables: `(a|b)` in targets and builder payloads (regex format), an array in a
    /// builder's multi-select payload, a json-format array in a code payload, and "All".
    @Test func multiValueVariablesInTargetsAndPayloads() async throws {
        try await withBridge { bridge in
            let both = TemplateVariables(["monitor": ["Example homepage", "Payments 2"]])
            let from = bridge.now - 3_600_000
            let cases: [[String: Any]] = [
                ["refId": "A", "target": #"response_time{monitor="$monitor",region="us"}"#, "editorMode": "code"],
                ["refId": "B", "target": #"response_time{monitor=~"$monitor",region="us"}"#, "editorMode": "code"],
                ["refId": "C", "target": "response_time", "editorMode": "builder", "payload": ["monitor": "$monitor", "region": "us"]],
                ["refId": "D", "target": "response_time", "editorMode": "builder", "payload": ["monitor": ["Example homepage", "Payments 2"], "region": "us"]],
                ["refId": "E", "target": "response_time", "editorMode": "code", "payload": #"{"monitor": $monitor, "region": "us"}"#],
            ]
            for target in cases {
                let body = SimPodJSON.queryBody(targets: [target], variables: both, from: from, to: bridge.now)
                let answer = try await bridge.post("/query", json: body)
                #expect(answer.status == 200, "\(target["refId"]!): \(answer.body.prefix(300))")
                #expect(Set(names(answer)) == ["Example homepage us", "Payments 2 us"], "\(target["refId"]!)")
                let refIDs = answer.array.compactMap { ($0 as? [String: Any])?["refId"] as? String }
                #expect(refIDs == Array(repeating: target["refId"] as! String, count: 2))
            }
            // "All" with a custom all value `.*` is inserted raw: every monitor.
            let all = TemplateVariables(customAll: ["monitor": ".*"])
            let body = SimPodJSON.queryBody(
                targets: [["refId": "A", "target": "response_time", "editorMode": "builder", "payload": ["monitor": "$monitor"]]],
                variables: all, from: from, to: bridge.now
            )
            let answer = try await bridge.post("/query", json: body)
            #expect(monitors(answer).count == 5)
        }
    }

    /// Ad hoc filters as Grafana core puts them in `filters`, with the operators the UI offers.
    @Test func adHocFiltersWithEveryOperator() async throws {
        try await withBridge { bridge in
            let from = bridge.now - 3_600_000
            func ask(_ filters: [[String: Any]]) async throws -> BridgeUnderTest.Answer {
                try await bridge.post(
                    "/query",
                    json: SimPodJSON.queryBody(
                        targets: [["refId": "A", "target": #"response_time"#]],
                        variables: .init(), from: from, to: bridge.now, filters: filters
                    )
                )
            }
            let regex = try await ask([["key": "monitor", "operator": "=~", "value": "Example.*|Payments 2"]])
            #expect(monitors(regex) == ["Example homepage", "Payments 2"])
            let notRegex = try await ask([["key": "monitor", "operator": "!~", "value": ".*[0-9]"]])
            #expect(monitors(notRegex) == ["Example homepage"])
            let notEqual = try await ask([["key": "monitor", "operator": "!=", "value": "Example homepage"]])
            #expect(monitors(notEqual).count == 4 && !monitors(notEqual).contains("Example homepage"))
            let scenes = try await ask([["key": "monitor", "operator": "=|", "values": ["Example homepage", "Shop 3"]]])
            #expect(monitors(scenes) == ["Example homepage", "Shop 3"])
            let unsupported = try await ask([["key": "monitor", "operator": "<", "value": "x"]])
            #expect(unsupported.status == 400)
            #expect((unsupported.object["error"] as? String)?.contains("=~") == true)
        }
    }

    /// The JSON datasource's annotations: Grafana sends the annotation's target to `/query` with
    /// refId `Anno`; the incidents table carries the fields annotations read.
    @Test func jsonDatasourceAnnotationsThroughQuery() async throws {
        try await withBridge { bridge in
            let body = SimPodJSON.annotationBody(
                target: ["target": "incidents", "editorMode": "code"],
                variables: .init(), from: bridge.now - 30 * 86_400_000, to: bridge.now
            )
            let answer = try await bridge.post("/query", json: body)
            #expect(answer.status == 200)
            let table = try #require(answer.array.first as? [String: Any])
            #expect(table["refId"] as? String == "Anno")
            let columns = (table["columns"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
            #expect(columns.starts(with: ["time", "timeEnd", "title", "text", "tags"]))
            #expect(!(table["rows"] as? [Any] ?? []).isEmpty)
        }
    }

    /// SimpleJSON 1.4.3: `/search`, `/query` (regex multi-value), `/annotations` (glob multi-value).
    @Test func simpleJSONRequests() async throws {
        try await withBridge { bridge in
            let search = try await bridge.post("/search", json: SimpleJSON.searchBody("label_values(monitor)", variables: .init()))
            #expect(search.array.count == 5)
            let variables = TemplateVariables(["monitor": ["Example homepage", "Shop 3"]])
            let from = bridge.now - 7 * 86_400_000
            let query = try await bridge.post(
                "/query",
                json: SimpleJSON.queryBody(
                    targets: [["target": #"availability{monitor="$monitor"}"#, "refId": "A"], ["target": "select metric", "refId": "B"]],
                    variables: variables, from: from, to: bridge.now
                )
            )
            #expect(query.status == 200)
            #expect(Set(names(query)) == ["Example homepage availability", "Shop 3 availability"])
            let annotations = try await bridge.post(
                "/annotations",
                json: SimpleJSON.annotationsBody(
                    name: "Incidents", query: #"incidents{monitor="$monitor"}"#, variables: variables, from: from, to: bridge.now
                )
            )
            #expect(annotations.status == 200)
            let titles = annotations.array.compactMap { ($0 as? [String: Any])?["title"] as? String }
            #expect(!titles.isEmpty)
            #expect(titles.allSatisfy { $0.hasPrefix("Example homepage") || $0.hasPrefix("Shop 3") })
        }
    }

    /// Every frame carries its target's refId, tables included.
    @Test func everyFrameCarriesItsRefID() async throws {
        try await withBridge { bridge in
            let targets: [[String: Any]] = [
                ["refId": "RT", "target": #"response_time{monitor="Example homepage"}"#],
                ["refId": "AV", "target": #"availability{monitor="Example homepage"}"#],
                ["refId": "MO", "target": "monitors", "type": "table"],
                ["refId": "IN", "target": "incidents"],
                ["refId": "TB", "target": #"response_time{monitor="Example homepage"}"#, "type": "table"],
            ]
            let answer = try await bridge.post(
                "/query",
                json: SimPodJSON.queryBody(targets: targets, variables: .init(), from: bridge.now - 86_400_000, to: bridge.now)
            )
            #expect(answer.status == 200)
            let refIDs = Set(answer.array.compactMap { ($0 as? [String: Any])?["refId"] as? String })
            #expect(refIDs == ["RT", "AV", "MO", "IN", "TB"])
            #expect(answer.array.allSatisfy { ($0 as? [String: Any])?["refId"] is String })
        }
    }
}
