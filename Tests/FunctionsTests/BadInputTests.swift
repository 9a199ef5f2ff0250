import Foundation
import Sandbox
import Testing

@Suite struct BadInputTests {
    func range(_ bridge: BridgeUnderTest) -> [String: String] {
        ["from": BridgeUnderTest.iso(bridge.now - 3_600_000), "to": BridgeUnderTest.iso(bridge.now)]
    }

    @Test func malformedRequestsAre4xxJSON() async throws {
        try await withBridge { bridge in
            let target = [["target": "response_time", "refId": "A"]]
            let cases: [(String, [UInt8], Int)] = [
                ("malformed JSON", Array("{\"range\":".utf8), 400),
                ("not an object", Array("[1,2]".utf8), 400),
                ("missing range", try JSONSerialization.data(withJSONObject: ["targets": target]).bytes, 400),
                (
                    "inverted range",
                    try JSONSerialization.data(withJSONObject: [
                        "range": ["from": BridgeUnderTest.iso(bridge.now), "to": BridgeUnderTest.iso(bridge.now - 1000)],
                        "targets": target,
                    ]).bytes, 400
                ),
                (
                    "unknown target",
                    try JSONSerialization.data(withJSONObject: ["range": range(bridge), "targets": [["target": "cpu_load"]]]).bytes,
                    400
                ),
                (
                    "malformed target",
                    try JSONSerialization.data(withJSONObject: ["range": range(bridge), "targets": [["target": "response_time{monitor=\"x"]]]).bytes,
                    400
                ),
                (
                    "unknown region",
                    try JSONSerialization.data(withJSONObject: [
                        "range": range(bridge), "targets": [["target": "response_time{region=\"mars\"}"]],
                    ]).bytes, 400
                ),
                (
                    "absurd maxDataPoints",
                    try JSONSerialization.data(withJSONObject: ["range": range(bridge), "maxDataPoints": 1e12, "targets": target]).bytes,
                    400
                ),
                (
                    "zero maxDataPoints",
                    try JSONSerialization.data(withJSONObject: ["range": range(bridge), "maxDataPoints": 0, "targets": target]).bytes,
                    400
                ),
                (
                    "unknown monitor",
                    try JSONSerialization.data(withJSONObject: [
                        "range": range(bridge), "targets": [["target": "response_time{monitor=\"nope\"}"]],
                    ]).bytes, 404
                ),
            ]
            for (name, body, status) in cases {
                let answer = await bridge.post("/query", raw: body)
                #expect(answer.status == status, "\(name)")
                #expect(answer.object["error"] is String, "\(name)")
                #expect(answer.headers["content-type"] == "application/json", "\(name)")
            }
            let huge = await bridge.post("/query", raw: Array(repeating: 32, count: 2 << 20))
            #expect(huge.status == 413)
        }
    }

    @Test func upstreamFailureIs502AndTimeoutIs504() async throws {
        try await withBridge(requestTimeout: .milliseconds(300)) { bridge in
            bridge.sandbox.setFault(Fault(route: "response_times", status: 503))
            let failing = await bridge.get("/response_time?url=https://example.com/")
            #expect(failing.status == 502)
            #expect(failing.object["error"] is String)
            bridge.sandbox.clearFaults()
            bridge.sandbox.setFault(Fault(route: "sla", latencyMilliseconds: 2000))
            let slow = await bridge.get("/sla?url=https://example.com/")
            #expect(slow.status == 504)
            bridge.sandbox.clearFaults()
            bridge.sandbox.setFault(Fault(route: "sla", garbage: true))
            let garbage = await bridge.get("/sla?monitor_id=200002")
            #expect(garbage.status == 502)
        }
    }

    @Test func expiredDataIsServedStaleAndFlaggedWhenUpstreamFails() async throws {
        try await withBridge { bridge in
            let fresh = await bridge.get("/response_time?url=https://example.com/&region=us")
            #expect(fresh.status == 200)
            #expect(fresh.headers["x-uptime-bridge-stale"] == nil)
            bridge.clock.advance(by: .seconds(120))
            bridge.sandbox.setFault(Fault(status: 500))
            let stale = await bridge.get("/response_time?url=https://example.com/&region=us")
            #expect(stale.status == 200)
            #expect(stale.body == fresh.body)
            #expect(stale.headers["x-uptime-bridge-stale"] == "true")
            #expect(stale.headers["cache-control"] == "public, max-age=5")
            bridge.clock.advance(by: .seconds(7200))
            let gone = await bridge.get("/response_time?url=https://example.com/&region=us")
            #expect(gone.status == 502)
        }
    }

    @Test func noTokenMeans503NotACrash() async throws {
        let settings = BridgeSettingsFactory.plain()
        let answer = await settings.driver.send(method: "GET", uri: "/uptime/sla?url=x")
        #expect(answer.status == 503)
        // Nothing configured: health says so (503, naming the missing token) instead of "ok".
        let health = await settings.driver.send(method: "GET", uri: "/uptime/")
        #expect(health.status == 503)
        #expect(String(decoding: health.body, as: UTF8.self).contains("Better Stack is not configured"))
    }
}

import FastCGIRuntime
import FastCGITesting
import Functions

enum BridgeSettingsFactory {
    struct Plain {
        let driver: TestDriver<FunctionContext>
    }

    static func plain() -> Plain {
        let settings = BridgeSettings()
        let services = Services(settings: settings)
        return Plain(
            driver: TestDriver(router: Routes.router(settings: settings), options: GatewayOptions(basePath: "/uptime")) {
                FunctionContext(info: $0, services: services)
            }
        )
    }
}

extension Data {
    var bytes: [UInt8] { Array(self) }
}
