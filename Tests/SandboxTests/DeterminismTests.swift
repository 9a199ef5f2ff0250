import Sandbox
import Testing

@Suite("Determinism")
struct DeterminismTests {
    static let targets = [
        "/api/v2/monitors?per_page=250", "/api/v2/monitors/200001", "/api/v2/monitors/200003/response-times",
        "/api/v2/monitors/200003/sla", "/api/v3/incidents?per_page=50", "/api/v2/incidents?per_page=50",
        "/api/v2/heartbeats", "/api/v2/heartbeats/300002/availability", "/api/v2/status-pages",
        "/api/v2/status-pages/500001/resources",
    ]

    private func fetchAll(_ configuration: SandboxConfiguration) async throws -> [[UInt8]] {
        try await withSandbox(configuration) { server in
            try Self.targets.map { target in
                let result = try server.send(target, host: "sandbox.test")
                #expect(result.status == 200, "\(target)")
                return result.body
            }
        }
    }

    @Test("Same seed and anchor: byte-identical payloads from two servers")
    func sameSeedSameBytes() async throws {
        let configuration = SandboxConfiguration(monitors: 40, heartbeats: 5, seed: 7, now: testAnchor)
        let first = try await fetchAll(configuration)
        let second = try await fetchAll(configuration)
        for (index, target) in Self.targets.enumerated() {
            #expect(first[index] == second[index], "\(target) differs")
        }
    }

    @Test("Another seed: other timings, same addressable facts")
    func otherSeedOtherData() async throws {
        try await withSandbox(SandboxConfiguration(seed: 1, now: testAnchor)) { one in
            try await withSandbox(SandboxConfiguration(seed: 2, now: testAnchor)) { two in
                let target = "/api/v2/monitors/200001/response-times"
                #expect(try one.send(target).body != (try two.send(target).body))
                let first = try one.json("/api/v2/monitors/200001")["data"]?["attributes"]
                let second = try two.json("/api/v2/monitors/200001")["data"]?["attributes"]
                #expect(first?["url"] == second?["url"])
                #expect(first?["status"] == second?["status"])
            }
        }
    }

    @Test("Stable facts: monitor 1, the down monitor, heartbeat tokens")
    func stableFacts() async throws {
        try await withSandbox { server in
            let monitors = try #require(try server.json("/api/v2/monitors")["data"]?.arrayValue)
            let first = try #require(monitors.first)
            #expect(first["id"] == .string("200001"))
            #expect(first["attributes"]?["url"] == .string("https://example.com/"))
            #expect(first["attributes"]?["pronounceable_name"] == .string("Example homepage"))
            #expect(first["attributes"]?["check_frequency"] == .int(180))
            let statuses = monitors.map { $0["attributes"]?["status"]?.stringValue ?? "" }
            #expect(statuses == ["up", "up", "down", "paused", "up"])
            #expect(monitors[2]["attributes"]?["url"] == .string("https://shop-3.example.com/health"))

            let byURL = try server.json("/api/v2/monitors?url=https%3A%2F%2Fexample.com%2F")
            #expect(byURL["data"]?[0]?["id"] == .string("200001"))

            let heartbeats = try #require(try server.json("/api/v2/heartbeats")["data"]?.arrayValue)
            #expect(heartbeats.map { $0["attributes"]?["status"]?.stringValue ?? "" } == ["up", "down", "paused"])
            #expect(
                heartbeats[0]["attributes"]?["url"]
                    == .string("http://127.0.0.1:\(server.port)/api/v1/heartbeat/8oft6qqcntha8luawfszlvfh")
            )
        }
    }
}
