import Foundation
import Testing

/// The shipped Grafana dashboard (deploy/grafana/dashboards/uptime-bridge.json), replayed the way
/// Grafana would send its queries, through nginx against the sandbox.
@Suite(.serialized)
struct DashboardTests {
    static func dashboard() throws -> [String: Any] {
        let url = Paths.root.appendingPathComponent("deploy/grafana/dashboards/uptime-bridge.json")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    /// Grafana's interpolation of the variables this dashboard uses.
    static func interpolate(_ text: String, monitor: String, from: Int64, to: Int64) -> String {
        text.replacingOccurrences(of: "$monitor", with: monitor)
            .replacingOccurrences(of: "${__from}", with: String(from))
            .replacingOccurrences(of: "${__to}", with: String(to))
    }

    static func iso(_ ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    static func hasData(_ answer: HTTPAnswer) -> Bool {
        switch answer.json {
        case let array as [Any]:
            guard !array.isEmpty else { return false }
            // Time series and tables must carry points or rows, not just names.
            return array.allSatisfy { item in
                guard let object = item as? [String: Any] else { return true }
                if let points = object["datapoints"] as? [Any] { return !points.isEmpty }
                if let rows = object["rows"] as? [Any] { return !rows.isEmpty }
                return true
            }
        case let object as [String: Any]: return !object.isEmpty && object["error"] == nil
        default: return false
        }
    }

    @Test func everyQueryOfTheShippedDashboardAnswers200WithData() async throws {
        let dashboard = try Self.dashboard()
        try await withNginxStack(sandboxArguments: []) { stack in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let from = now - 24 * 3_600_000
            // The monitor variable first, as Grafana resolves it before the panels.
            let variable = ((dashboard["templating"] as! [String: Any])["list"] as! [[String: Any]])[0]
            let variableQuery = (variable["query"] as! [String: Any])["payload"] as! String
            let values = try await HTTP.send(
                "POST",
                stack.base + "/variable",
                body: Array(try JSONSerialization.data(withJSONObject: ["payload": ["target": variableQuery]])),
                headers: [("Content-Type", "application/json")]
            )
            #expect(values.status == 200)
            let names = ((values.json as? [[String: Any]]) ?? []).compactMap { $0["__text"] as? String }
            #expect(names.count == 5)
            // A monitor that is down (the sandbox's monitor 3), so the incident panels have rows too.
            let list = try await HTTP.send("GET", stack.base + "/monitors?availability=false")
            let down = ((list.json as? [[String: Any]]) ?? []).first { $0["status"] as? String == "down" }
            let monitor = try #require(down?["name"] as? String)
            #expect(names.contains(monitor))

            var requests: [(String, () async throws -> HTTPAnswer)] = []
            var targets = (dashboard["panels"] as! [[String: Any]]).flatMap { panel in
                (panel["targets"] as! [[String: Any]]).map { (panel["title"] as! String, $0) }
            }
            let annotations = ((dashboard["annotations"] as! [String: Any])["list"] as! [[String: Any]])
            for annotation in annotations {
                var target = annotation["target"] as! [String: Any]
                target["datasource"] = annotation["datasource"]
                targets.append(("annotation " + (annotation["name"] as! String), target))
            }
            for (title, target) in targets {
                let datasource = (target["datasource"] as! [String: Any])["uid"] as! String
                if datasource == "uptime-bridge-json" {
                    var item: [String: Any] = [
                        "refId": target["refId"]!,
                        "target": Self.interpolate(target["target"] as! String, monitor: monitor, from: from, to: now),
                    ]
                    item["payload"] = target["payload"] ?? [:]
                    let body: [String: Any] = [
                        "range": ["from": Self.iso(from), "to": Self.iso(now), "raw": ["from": "now-24h", "to": "now"]],
                        "interval": "1m", "intervalMs": 60_000, "maxDataPoints": 800, "targets": [item],
                    ]
                    let bytes = Array(try JSONSerialization.data(withJSONObject: body))
                    requests.append((title, { try await HTTP.send("POST", stack.base + "/query", body: bytes, headers: [("Content-Type", "application/json")]) }))
                } else {
                    #expect(datasource == "uptime-bridge-infinity")
                    var components = URLComponents(string: stack.base + (target["url"] as! String))!
                    let params = ((target["url_options"] as? [String: Any])?["params"] as? [[String: String]]) ?? []
                    components.queryItems = params.isEmpty ? nil : params.map {
                        URLQueryItem(name: $0["key"]!, value: Self.interpolate($0["value"]!, monitor: monitor, from: from, to: now))
                    }
                    let url = components.url!.absoluteString
                    requests.append((title, { try await HTTP.send("GET", url) }))
                }
            }
            #expect(requests.count >= 10)
            for (title, send) in requests {
                let answer = try await send()
                #expect(answer.status == 200, "\(title): \(answer.body.prefix(300))")
                #expect(Self.hasData(answer), "\(title): \(answer.body.prefix(300))")
            }
        }
    }

    @Test func upstreamFailureThroughNginxIsJSONAndTheWorkerKeepsServing() async throws {
        try await withNginxStack(sandboxArguments: ["--fault", "response_times=status=503"]) { stack in
            let answer = try await HTTP.send("GET", stack.base + "/response_time?url=https://example.com/")
            #expect(answer.status == 502)
            #expect(answer.object["error"] is String)
            #expect(answer.header("content-type") == "application/json")
            let missing = try await HTTP.send("GET", stack.base + "/sla?url=https://nowhere.example/")
            #expect(missing.status == 404)
            #expect((missing.object["error"] as? String)?.contains("https://nowhere.example/") == true)
            #expect(try await HTTP.send("GET", stack.base + "/").status == 200)
        }
    }
}
