import TestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `/uptime/metrics` through real nginx and spawn-fcgi, scraped by a real Prometheus server.
@Suite("GET /metrics through nginx", .serialized)
struct MetricsIntegrationTests {
    /// An exporter-style services.json for two of the sandbox's pages (with a `_` key, ignored).
    static func statuspageEnvironment(_ sandboxURL: String, _ scratch: ScratchDirectory) throws -> [String: String] {
        let services: [String: Any] = [
            "_comment": "keys starting with _ are ignored, as by the exporter",
            "discord": ["url": "\(sandboxURL)/statuspage/discord/api/v2/summary.json", "name": "Discord"],
            "example": [
                "url": "\(sandboxURL)/statuspage/incident-example/api/v2/summary.json", "name": "Example Cloud",
            ],
        ]
        let path = scratch.file("services.json")
        try JSONSerialization.data(withJSONObject: services).write(to: URL(fileURLWithPath: path))
        return ["UPTIME_BRIDGE_STATUSPAGE_SERVICES": path]
    }

    @Test("A real Prometheus server scrapes /uptime/metrics through nginx: up == 1, Better Stack and statuspage series")
    func prometheusScrapes() async throws {
        guard let prometheusBinary = Paths.tool("prometheus") else {
            Issue.record("prometheus not found: install the Debian package 'prometheus' (deploy/test.sh does)")
            return
        }
        try await withNginxStack(
            sandboxArguments: ["--statuspages", "2"],
            sandboxEnvironment: Self.statuspageEnvironment
        ) {
            stack in
            let scratch = try ScratchDirectory("prometheus")
            defer { scratch.cleanup() }
            let port = try freePort()
            let config = """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: uptime-bridge
                    metrics_path: /uptime/metrics
                    static_configs:
                      - targets: ["127.0.0.1:\(stack.port)"]
                """
            try config.write(toFile: scratch.file("prometheus.yml"), atomically: true, encoding: .utf8)
            let prometheus = try ManagedProcess(
                "prometheus",
                executable: prometheusBinary,
                arguments: [
                    "--config.file=\(scratch.file("prometheus.yml"))",
                    "--storage.tsdb.path=\(scratch.file("data"))",
                    "--web.listen-address=127.0.0.1:\(port)",
                ],
                logPath: scratch.file("prometheus.log")
            )
            defer { prometheus.stop() }
            let api = "http://127.0.0.1:\(port)/api/v1/query?query="

            func query(_ promQL: String) async throws -> [[String: Any]] {
                let encoded = promQL.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? promQL
                let answer = try await HTTP.send("GET", api + encoded, timeout: .seconds(5))
                let data = answer.object["data"] as? [String: Any]
                return data?["result"] as? [[String: Any]] ?? []
            }
            func value(_ result: [String: Any]) -> String? {
                (result["value"] as? [Any])?.last as? String
            }

            var up: [[String: Any]] = []
            var monitors: [[String: Any]] = []
            var pages: [[String: Any]] = []
            var scrapes: [[String: Any]] = []
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                if !prometheus.isRunning { break }
                up = (try? await query(#"up{job="uptime-bridge"}"#)) ?? []
                monitors = (try? await query(#"betterstack_monitor_up{job="uptime-bridge"}"#)) ?? []
                pages = (try? await query(#"statuspage_service_status{job="uptime-bridge"}"#)) ?? []
                // A scrape counts itself once answered, so the second scrape shows the first.
                scrapes =
                    (try? await query(#"uptime_bridge_requests_total{job="uptime-bridge",function="/metrics"}"#)) ?? []
                if up.first.flatMap(value) == "1", !monitors.isEmpty, pages.count == 2, !scrapes.isEmpty { break }
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(prometheus.isRunning, "prometheus exited:\n\(prometheus.log)")
            #expect(up.count == 1)
            #expect(up.first.flatMap(value) == "1", "up: \(up)\n\(prometheus.log.suffix(2000))")
            #expect(monitors.count == 5)
            let down = monitors.first { ($0["metric"] as? [String: String])?["monitor_id"] == "200003" }
            #expect(down.flatMap(value) == "0")
            let names = Set(pages.compactMap { ($0["metric"] as? [String: String])?["service_name"] })
            #expect(names == ["Discord", "Example Cloud"])
            let example = pages.first { ($0["metric"] as? [String: String])?["service_name"] == "Example Cloud" }
            #expect(example.flatMap(value) == "0")
            #expect(!scrapes.isEmpty, "the FastCGI request observer counts the scrapes")
            let health = try await query(#"uptime_bridge_upstream_up{job="uptime-bridge"}"#)
            #expect(Set(health.compactMap(value)) == ["1"])
        }
    }

    @Test("Through nginx: text format 0.0.4, promtool passes, POST is the metric list, PUT and DELETE are 405")
    func throughNginx() async throws {
        try await withNginxStack(
            sandboxArguments: ["--statuspages", "2"],
            sandboxEnvironment: Self.statuspageEnvironment
        ) {
            stack in
            let answer = try await HTTP.send("GET", stack.base + "/metrics")
            #expect(answer.status == 200)
            #expect(answer.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(answer.body.contains(#"statuspage_service_status{service_name="Discord"} 1"#))
            #expect(answer.body.contains(#"betterstack_monitor_up{monitor_id="200001"} 1"#))
            try Promtool.expectClean(Array(answer.body.utf8), "/uptime/metrics through nginx")

            // Prometheus asks for gzip; nginx compresses the 0.0.4 type too.
            let compressed = try await HTTP.send("GET", stack.base + "/metrics", headers: [("Accept-Encoding", "gzip")])
            #expect(compressed.header("Content-Encoding") == "gzip")

            let again = try await HTTP.send("GET", stack.base + "/metrics")
            #expect(again.body.contains(#"uptime_bridge_requests_total{function="/metrics",status="200"}"#))

            let post = try await HTTP.send(
                "POST",
                stack.base + "/metrics",
                body: Array(#"{"metric":"","payload":{}}"#.utf8),
                headers: [("Content-Type", "application/json")]
            )
            #expect(post.status == 200)
            #expect((post.json as? [Any])?.isEmpty == false)
            for method in ["PUT", "DELETE"] {
                let refused = try await HTTP.send(method, stack.base + "/metrics")
                #expect(refused.status == 405, "\(method)")
                #expect(refused.object["error"] != nil, "\(method): \(refused.body)")
            }
        }
    }

    @Test("UPTIME_BRIDGE_SCRAPE_BUDGET_MS bounds a scrape of a stalled upstream")
    func budgetFromEnvironment() async throws {
        try await withNginxStack(
            bridgeEnvironment: ["UPTIME_BRIDGE_SCRAPE_BUDGET_MS": "500"],
            sandboxArguments: ["--latency-ms", "60000"],
            sandboxEnvironment: Self.statuspageEnvironment
        ) { stack in
            let started = Date()
            let answer = try await HTTP.send("GET", stack.base + "/metrics")
            let elapsed = Date().timeIntervalSince(started)
            #expect(answer.status == 200)
            // Generous for a loaded machine, and still far below the 60 s stall.
            #expect(elapsed < 30, "took \(elapsed) s")
            #expect(answer.body.contains(#"uptime_bridge_upstream_up{upstream="betterstack"} 0"#))
            #expect(answer.body.contains(#"uptime_bridge_upstream_up{upstream="statuspage"} 0"#))
            #expect(answer.body.contains(#"uptime_bridge_scrape_budget_exceeded_total{upstream="betterstack"} 1"#))
            try Promtool.expectClean(Array(answer.body.utf8), "/uptime/metrics of a stalled upstream")
            // The worker keeps serving meanwhile.
            let health = try await HTTP.send("GET", stack.base + "/")
            #expect(health.status == 200)
        }
    }

    @Test("deploy/prometheus/prometheus.yml is a valid Prometheus configuration")
    func exampleConfig() throws {
        guard let promtool = Paths.tool("promtool") else {
            Issue.record("promtool not found: install the Debian package 'prometheus'")
            return
        }
        let path = Paths.root.appendingPathComponent("deploy/prometheus/prometheus.yml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("metrics_path: /uptime/metrics"))
        #expect(try run(promtool, ["check", "config", path]) == 0)
    }
}
