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

    @Test("A form-encoded body (what `curl -d` sends) is recorded decoded, with the raw body and Content-Type")
    func formBody() async throws {
        try await withSandbox { server in
            let path = "/api/v1/heartbeat/8oft6qqcntha8luawfszlvfh"
            let output = "backup failed: 95% full & a+b=c\nzweite Zeile ✓"
            // As `curl --data-urlencode "=$output"` encodes it.
            let encoded =
                "backup%20failed%3A%2095%25%20full%20%26%20a%2Bb%3Dc%0Azweite%20Zeile%20%E2%9C%93"
            let form = try server.send(
                path + "/1",
                method: "POST",
                token: nil,
                headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Array(encoded.utf8)
            )
            #expect(form.status == 200 && form.text == "OK")
            // `curl -d "$text"` puts the text in as is; `+` then reads as a space, as a form parser reads it.
            _ = try server.send(
                path + "/fail",
                method: "POST",
                token: nil,
                headers: [("Content-Type", "Application/X-WWW-Form-URLEncoded; charset=utf-8")],
                body: Array("job done+ok".utf8)
            )
            // Any other body type is recorded as it came.
            _ = try server.send(
                path + "/2",
                method: "POST",
                token: nil,
                headers: [("Content-Type", "text/plain; charset=utf-8")],
                body: Array("50%+1".utf8)
            )

            let pings = try #require(try server.json("/_sandbox/pings")["pings"]?.arrayValue)
            #expect(pings.count == 3)
            #expect(pings[0]["kind"] == .string("exit_code") && pings[0]["exit_code"] == .int(1))
            #expect(pings[0]["body"] == .string(output))
            #expect(pings[0]["raw_body"] == .string(encoded))
            #expect(pings[0]["content_type"] == .string("application/x-www-form-urlencoded"))
            #expect(pings[1]["kind"] == .string("fail"))
            #expect(pings[1]["body"] == .string("job done ok"))
            #expect(pings[1]["raw_body"] == .string("job done+ok"))
            #expect(pings[2]["body"] == .string("50%+1"))
            #expect(pings[2]["content_type"] == .string("text/plain; charset=utf-8"))
        }
    }
}
