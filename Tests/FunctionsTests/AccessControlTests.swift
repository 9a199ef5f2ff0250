import BetterStack
import FastCGIRuntime
import FastCGITesting
import Foundation
@testable import Functions
import Logging
import Sandbox
import TTLCache
import Testing

@Suite struct AccessControlTests {
    /// The functions with access control and an allowlist, against the in-process sandbox.
    static func driver(
        _ bridge: BridgeUnderTest,
        access: AccessPolicy,
        allowlist: [String] = []
    ) -> TestDriver<FunctionContext> {
        let data = UptimeData(client: bridge.data.client, cache: MemoryCache(maxBytes: 1 << 24), allowlist: allowlist, now: bridge.data.now)
        let settings = BridgeSettings(version: "test", nodeName: "node-a")
        let services = Services(settings: settings, uptime: data, access: access)
        return TestDriver(router: Routes.router(settings: settings, access: access), options: GatewayOptions(basePath: "/uptime")) {
            FunctionContext(info: $0, services: services)
        }
    }

    @Test func withoutCredentialsEveryFunctionIs401JSONAndWithThem200() async throws {
        try await withBridge { bridge in
            let driver = Self.driver(bridge, access: AccessPolicy(bearerToken: "t0ken", basicUser: "grafana", basicPassword: "pa55"))
            for uri in ["/uptime/", "/uptime/sla?url=https://example.com/", "/uptime/monitors"] {
                let anonymous = await driver.send(method: "GET", uri: uri)
                #expect(anonymous.status == 401, "\(uri)")
                #expect(String(decoding: anonymous.body, as: UTF8.self).contains("authentication required"))
                #expect(anonymous.headers["www-authenticate"] == "Basic realm=\"uptime-bridge\"")
                let wrong = await driver.send(method: "GET", uri: uri, headers: [("Authorization", "Bearer nope")])
                #expect(wrong.status == 401)
                let bearer = await driver.send(method: "GET", uri: uri, headers: [("Authorization", "Bearer t0ken")])
                #expect(bearer.status == 200, "\(uri)")
                let basic = await driver.send(method: "GET", uri: uri, headers: [("Authorization", "Basic Z3JhZmFuYTpwYTU1")])
                #expect(basic.status == 200, "\(uri)")
            }
            let post = await driver.send(method: "POST", uri: "/uptime/search", body: Array("{}".utf8))
            #expect(post.status == 401)
        }
    }

    @Test func aMonitorOutsideTheAllowlistIsNotFoundAndAppearsNowhere() async throws {
        try await withBridge { bridge in
            // Allow everything but monitor 3 ("Shop 3", https://shop-3.example.com/health, down, with incidents).
            let driver = Self.driver(
                bridge,
                access: .open,
                allowlist: ["200001", "Payments 2", "https://api-4.example.com/v1/ping", "200005"]
            )
            for uri in [
                "/uptime/sla?url=https://shop-3.example.com/health", "/uptime/sla?monitor_id=200003",
                "/uptime/sla?name=Shop%203", "/uptime/response_time?monitor_id=200003",
            ] {
                let answer = await driver.send(method: "GET", uri: uri)
                #expect(answer.status == 404, "\(uri)")
            }
            let allowed = await driver.send(method: "GET", uri: "/uptime/sla?monitor_id=200001")
            #expect(allowed.status == 200)
            for uri in ["/uptime/monitors", "/uptime/incidents"] {
                let body = String(decoding: await driver.send(method: "GET", uri: uri).body, as: UTF8.self)
                #expect(!body.contains("200003"), "\(uri)")
                #expect(!body.contains("Shop 3"), "\(uri)")
            }
            let search = String(decoding: await driver.send(method: "POST", uri: "/uptime/search", body: Array("{\"target\":\"\"}".utf8)).body, as: UTF8.self)
            #expect(!search.contains("Shop 3"))
            let range = "{\"from\":\"\(BridgeUnderTest.iso(bridge.now - 86_400_000))\",\"to\":\"\(BridgeUnderTest.iso(bridge.now))\"}"
            let annotations = await driver.send(
                method: "POST",
                uri: "/uptime/annotations",
                body: Array("{\"range\":\(range),\"annotation\":{\"name\":\"a\",\"query\":\"\"}}".utf8)
            )
            #expect(annotations.status == 200)
            #expect(!String(decoding: annotations.body, as: UTF8.self).contains("Shop 3"))
            let query = await driver.send(
                method: "POST",
                uri: "/uptime/query",
                body: Array("{\"range\":\(range),\"targets\":[{\"target\":\"response_time{monitor=\\\"Shop 3\\\"}\"}]}".utf8)
            )
            #expect(query.status == 404)
        }
    }

    /// The allowlist covers heartbeats (by id or name) and incidents: an incident is served only
    /// when its monitor or heartbeat is allowed (heartbeat incidents carry the heartbeat's name).
    @Test func theAllowlistCoversHeartbeatsAndTheirIncidents() async throws {
        try await withBridge { bridge in
            func json(_ driver: TestDriver<FunctionContext>, _ uri: String) async throws -> [[String: Any]] {
                let body = await driver.send(method: "GET", uri: uri).body
                let value = try JSONSerialization.jsonObject(with: Data(body))
                return (value as? [[String: Any]]) ?? ((value as? [String: Any])?["data"] as? [[String: Any]]) ?? []
            }
            let open = Self.driver(bridge, access: .open)
            let from = BridgeUnderTest.iso(bridge.now - 89 * 86_400_000)
            let incidentsURI = "/uptime/incidents?from=\(from)"
            let allIncidents = try await json(open, incidentsURI)
            let heartbeats = try await json(open, "/uptime/heartbeats")
            #expect(heartbeats.count >= 2)
            let names = heartbeats.compactMap { $0["name"] as? String }
            // A heartbeat with incidents, and one other.
            let withIncidents = try #require(names.first { name in allIncidents.contains { "\($0)".contains(name) } })
            let other = try #require(names.first { $0 != withIncidents })
            #expect(allIncidents.contains { "\($0)".contains(other) } || true)

            let driver = Self.driver(bridge, access: .open, allowlist: ["200001", withIncidents])
            let allowedHeartbeats = try await json(driver, "/uptime/heartbeats")
            #expect(allowedHeartbeats.compactMap { $0["name"] as? String } == [withIncidents])
            let incidents = try await json(driver, incidentsURI)
            #expect(!incidents.isEmpty)
            for incident in incidents {
                let text = "\(incident)"
                #expect(text.contains("200001") || text.contains(withIncidents), "\(text)")
                #expect(!text.contains(other), "\(text)")
            }
            // The allowed heartbeat's incidents are all there.
            let expected = allIncidents.filter { "\($0)".contains(withIncidents) }.count
            #expect(incidents.filter { "\($0)".contains(withIncidents) }.count == expected)
        }
    }
}
