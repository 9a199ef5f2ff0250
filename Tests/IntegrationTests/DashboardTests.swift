import Foundation
import TestSupport
import Testing

/// The shipped Grafana dashboard (deploy/grafana/dashboards/uptime-bridge.json), replayed the way
/// Grafana would send its queries, through nginx against the sandbox.
@Suite(.serialized)
struct DashboardTests {
    static func dashboard() throws -> [String: Any] {
        let url = Paths.root.appendingPathComponent("deploy/grafana/dashboards/uptime-bridge.json")
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
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

    /// Every request built as the plugins build it (TestSupport/GrafanaPlugins.swift): the `monitor`
    /// variable resolved first through `/variable` from its saved query, as simPod's
    /// `VariableSupport.ts` does, then each panel and annotation with the value Grafana would pick.
    @Test func everyQueryOfTheShippedDashboardAnswers200WithData() async throws {
        let dashboard = try Self.dashboard()
        try await withNginxStack(sandboxArguments: []) { stack in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let from = now - 24 * 3_600_000
            let variable = ((dashboard["templating"] as! [String: Any])["list"] as! [[String: Any]])[0]
            let savedQuery = variable["query"] as! [String: Any]
            #expect(savedQuery["query"] as? String == "label_values(monitor)")
            let variableBody = try SimPodJSON.variableBody(savedQuery: savedQuery, variables: TemplateVariables(), from: from, to: now)
            let values = try await HTTP.send(
                "POST",
                stack.base + "/variable",
                body: Array(try JSONSerialization.data(withJSONObject: variableBody)),
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
            let variables = TemplateVariables(["monitor": [monitor]], from: from, to: now)

            var requests: [(String, [String: Any], () async throws -> HTTPAnswer)] = []
            var targets = (dashboard["panels"] as! [[String: Any]]).flatMap { panel in
                (panel["targets"] as! [[String: Any]]).map { (panel["title"] as! String, $0, false) }
            }
            let annotations = ((dashboard["annotations"] as! [String: Any])["list"] as! [[String: Any]])
            for annotation in annotations {
                var target = annotation["target"] as! [String: Any]
                target["datasource"] = annotation["datasource"]
                targets.append(("annotation " + (annotation["name"] as! String), target, true))
            }
            for (title, target, isAnnotation) in targets {
                let datasource = (target["datasource"] as! [String: Any])["uid"] as! String
                if datasource == "uptime-bridge-json" {
                    let body =
                        isAnnotation
                        ? SimPodJSON.annotationBody(target: target, variables: variables, from: from, to: now)
                        : SimPodJSON.queryBody(targets: [target], variables: variables, from: from, to: now)
                    let bytes = Array(try JSONSerialization.data(withJSONObject: body))
                    requests.append((title, target, { try await HTTP.send("POST", stack.base + "/query", body: bytes, headers: [("Content-Type", "application/json")]) }))
                } else {
                    #expect(datasource == "uptime-bridge-infinity")
                    let url = Infinity.url(base: stack.base, target: target, variables: variables)
                    requests.append((title, target, { try await HTTP.send("GET", url) }))
                }
            }
            #expect(requests.count >= 10)
            for (title, target, send) in requests {
                let answer = try await send()
                #expect(answer.status == 200, "\(title): \(answer.body.prefix(300))")
                #expect(Self.hasData(answer), "\(title): \(answer.body.prefix(300))")
                if let refID = target["refId"] as? String, target["target"] != nil, let frames = answer.json as? [[String: Any]] {
                    #expect(frames.allSatisfy { $0["refId"] as? String == refID }, "\(title)")
                }
                // Infinity's backend makes one series per region only from rows ascending in time.
                if target["url"] as? String == "/response_time", target["format"] as? String == "timeseries" {
                    let rows = (answer.json as? [[String: Any]]) ?? []
                    let regions = Set(rows.compactMap { $0["region"] as? String })
                    #expect(regions.count >= 2)
                    #expect(Infinity.longToWideSeries(rows, time: "timestamp", factor: "region") == regions, "\(title)")
                    #expect(target["parser"] as? String == "backend")
                }
            }
        }
    }

    /// Infinity's "Save & test" calls nothing unless a custom health check is configured: the shipped
    /// provisioning configures one, and it answers 200 with a body.
    @Test func theInfinityProvisioningHasAWorkingHealthCheck() async throws {
        let url = Paths.root.appendingPathComponent("deploy/grafana/provisioning/datasources/uptime-bridge.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("customHealthCheckEnabled: true"))
        let line = try #require(text.split(separator: "\n").first { $0.contains("customHealthCheckUrl:") })
        let healthURL = String(line.split(separator: " ").last!)
        #expect(healthURL.hasSuffix("/uptime/"))
        try await withNginxStack(sandboxArguments: []) { stack in
            let answer = try await HTTP.send("GET", stack.base + "/")
            #expect(answer.status == 200)
            #expect(!answer.body.isEmpty)
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
