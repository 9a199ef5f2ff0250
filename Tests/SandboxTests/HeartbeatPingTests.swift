import Sandbox
import Testing

@Suite("Heartbeat pings")
struct HeartbeatPingTests {
    @Test("Success, fail and exit-code pings answer OK without auth and are recorded")
    func pings() async throws {
        try await withSandbox { server in
            let url = try #require(
                try server.json("/api/v2/heartbeats/300001")["data"]?["attributes"]?["url"]?.stringValue
            )
            let path = String(url.dropFirst("http://127.0.0.1:\(server.port)".count))
            let token = String(path.split(separator: "/").last ?? "")

            let success = try server.send(path, token: nil)
            #expect(success.status == 200 && success.text == "OK")
            #expect(try server.send(path + "/fail", method: "POST", token: nil).status == 200)
            let output = Array("backup failed: disk full\n".utf8)
            #expect(try server.send(path + "/3", method: "POST", token: nil, body: output).status == 200)
            let head = try server.send(path, method: "HEAD", token: nil)
            #expect(head.status == 200 && head.body.isEmpty)

            #expect(try server.send("/api/v1/heartbeat/unknown-token", token: nil).status == 404)
            #expect(try server.send(path + "/oops", token: nil).status == 404)

            let recorded = try server.json("/_sandbox/pings?token=\(token)")
            #expect(recorded["received"] == .int(4))
            let pings = try #require(recorded["pings"]?.arrayValue)
            #expect(
                pings.map { $0["kind"] } == [
                    .string("success"), .string("fail"), .string("exit_code"), .string("success"),
                ]
            )
            #expect(pings[2]["exit_code"] == .int(3))
            #expect(pings[2]["body"] == .string("backup failed: disk full\n"))
            #expect(pings[3]["method"] == .string("HEAD"))
            #expect(pings.allSatisfy { $0["heartbeat_id"] == .string("300001") })
            #expect(try server.json("/_sandbox/stats")["routes"]?["heartbeat_ping"] == .int(6))
        }
    }
}
