import Foundation
import Testing

/// Every Grafana request fixture (SimpleJSON, JSON datasource old and new) gets an answer of the
/// documented shape. Metric names in the fixtures belong to other backends, so `target` texts are
/// swapped for this bridge's and the range moved onto the sandbox's data; every other key is kept.
@Suite struct GrafanaFixtureTests {
    static func retargeted(_ fixture: String, bridge: BridgeUnderTest, targets: [String]) throws -> [String: Any] {
        var body = try Fixtures.json("grafana/\(fixture)") as! [String: Any]
        var range = body["range"] as! [String: Any]
        range["from"] = BridgeUnderTest.iso(bridge.now - 6 * 3_600_000)
        range["to"] = BridgeUnderTest.iso(bridge.now)
        body["range"] = range
        if var items = body["targets"] as? [[String: Any]] {
            for index in items.indices { items[index]["target"] = targets[index % targets.count] }
            body["targets"] = items
        }
        return body
    }

    static func expectTimeSeries(_ item: Any, maxPoints: Int) {
        let series = item as! [String: Any]
        #expect(series["target"] is String)
        let points = series["datapoints"] as! [[Any]]
        #expect(!points.isEmpty)
        #expect(points.count <= maxPoints)
        for point in points {
            #expect(point.count == 2)
            #expect(point[0] is NSNumber)
            let time = point[1] as! NSNumber
            #expect(time.doubleValue == time.doubleValue.rounded())
        }
    }

    @Test(arguments: ["simplejson-query-request.json", "simpod-query-request.json", "simpod-v0.2-query-request.json"])
    func queryFixturesAnswerTimeSeries(fixture: String) async throws {
        try await withBridge { bridge in
            let body = try Self.retargeted(
                fixture,
                bridge: bridge,
                targets: ["response_time{monitor=\"Example homepage\",region=\"us\"}", "response_time.tls_handshake{monitor=\"200002\"}"]
            )
            let answer = try await bridge.post("/query", json: body)
            #expect(answer.status == 200)
            #expect(answer.array.count >= 2)
            for item in answer.array { Self.expectTimeSeries(item, maxPoints: 550) }
        }
    }

    @Test func tableTargetsAnswerTables() async throws {
        try await withBridge { bridge in
            var body = try Self.retargeted("simplejson-query-request.json", bridge: bridge, targets: ["monitors", "incidents"])
            var items = body["targets"] as! [[String: Any]]
            items[0]["type"] = "table"
            items[1]["type"] = "table"
            body["targets"] = items
            body["adhocFilters"] = []
            let answer = try await bridge.post("/query", json: body)
            #expect(answer.status == 200)
            let tables = answer.array.map { $0 as! [String: Any] }
            #expect(tables.count == 2)
            for table in tables {
                #expect(table["type"] as? String == "table")
                let columns = table["columns"] as! [[String: Any]]
                #expect(columns.allSatisfy { $0["text"] is String && $0["type"] is String })
                let rows = table["rows"] as! [[Any]]
                #expect(rows.allSatisfy { $0.count == columns.count })
            }
            #expect((tables[0]["rows"] as! [[Any]]).count == 5)
            let incidentColumns = (tables[1]["columns"] as! [[String: Any]]).map { $0["text"] as! String }
            #expect(Array(incidentColumns.prefix(5)) == ["time", "timeEnd", "title", "text", "tags"])
        }
    }

    @Test func searchAnswersStringsLikeTheFixture() async throws {
        try await withBridge { bridge in
            let request = try Fixtures.json("grafana/simplejson-search-request.json")
            let answer = try await bridge.post("/search", json: request)
            #expect(answer.status == 200)
            #expect(answer.json is [String])
            let all = try await bridge.post("/search", json: ["target": ""])
            #expect((all.json as! [String]).contains("response_time{monitor=\"Example homepage\"}"))
            let monitors = try await bridge.post("/search", json: ["target": "label_values(monitor)"])
            #expect((monitors.json as! [String]) == ["Example homepage", "Payments 2", "Shop 3", "Api 4", "Auth 5"])
        }
    }

    @Test func metricsAndPayloadOptionsAnswerTheirShapes() async throws {
        try await withBridge { bridge in
            let metrics = try await bridge.post("/metrics", json: try Fixtures.json("grafana/simpod-metrics-request.json"))
            let list = metrics.array.map { $0 as! [String: Any] }
            #expect(list.contains { $0["value"] as? String == "response_time" })
            #expect(list.allSatisfy { $0["value"] is String && $0["payloads"] is [[String: Any]] })
            let options = try await bridge.post(
                "/metric-payload-options",
                json: try Fixtures.json("grafana/simpod-metric-payload-options-request.json")
            )
            #expect(options.status == 200)
            let items = options.array.map { $0 as! [String: Any] }
            #expect(!items.isEmpty)
            #expect(items.allSatisfy { $0["value"] is String && $0["label"] is String })
            let monitors = try await bridge.post("/metric-payload-options", json: ["metric": "response_time", "payload": [:], "name": "monitor"])
            #expect(monitors.array.count == 5)
        }
    }

    @Test func variableAnswersTextValuePairs() async throws {
        try await withBridge { bridge in
            let fixture = try await bridge.post("/variable", json: try Fixtures.json("grafana/simpod-variable-request.json"))
            #expect(fixture.status == 200)
            #expect(fixture.json is [Any])
            let answer = try await bridge.post("/variable", json: ["payload": ["target": "label_values(region)"]])
            let items = answer.array.map { $0 as! [String: String] }
            #expect(items == [["__text": "us", "__value": "us"], ["__text": "eu", "__value": "eu"], ["__text": "as", "__value": "as"], ["__text": "au", "__value": "au"]])
        }
    }

    @Test func tagKeysAndValues() async throws {
        try await withBridge { bridge in
            let keys = try await bridge.post("/tag-keys", json: try Fixtures.json("grafana/simplejson-tag-keys-request.json"))
            #expect(keys.array.map { ($0 as! [String: String])["text"]! } == ["monitor", "region", "status"])
            #expect(keys.array.allSatisfy { ($0 as! [String: String])["type"] == "string" })
            let city = try await bridge.post("/tag-values", json: try Fixtures.json("grafana/simplejson-tag-values-request.json"))
            #expect(city.status == 200)
            #expect(city.body == "[]")
            let regions = try await bridge.post("/tag-values", json: ["key": "region"])
            #expect(regions.array.map { ($0 as! [String: String])["text"]! } == ["us", "eu", "as", "au"])
        }
    }

    @Test func annotationsAreIncidentRegions() async throws {
        try await withBridge { bridge in
            var request = try Fixtures.json("grafana/simplejson-annotations-request.json") as! [String: Any]
            request["range"] = ["from": BridgeUnderTest.iso(bridge.now - 86_400_000), "to": BridgeUnderTest.iso(bridge.now)]
            let hashtag = try await bridge.post("/annotations", json: request)
            #expect(hashtag.status == 200)
            #expect(hashtag.json is [Any])
            var all = request
            var annotation = all["annotation"] as! [String: Any]
            annotation["query"] = ""
            all["annotation"] = annotation
            let events = try await bridge.post("/annotations", json: all).array.map { $0 as! [String: Any] }
            #expect(!events.isEmpty)
            for event in events {
                #expect(event["isRegion"] as? Bool == true)
                let time = (event["time"] as! NSNumber).int64Value
                let end = (event["timeEnd"] as! NSNumber).int64Value
                #expect(time <= end)
                #expect(event["title"] is String)
                #expect(event["tags"] is [String])
                #expect((event["annotation"] as? [String: Any])?["name"] as? String == "deploy")
            }
            annotation["query"] = "incidents{monitor=\"Shop 3\"}"
            all["annotation"] = annotation
            let shop = try await bridge.post("/annotations", json: all).array.map { $0 as! [String: Any] }
            #expect(shop.allSatisfy { ($0["title"] as! String).hasPrefix("Shop 3") })
        }
    }
}
