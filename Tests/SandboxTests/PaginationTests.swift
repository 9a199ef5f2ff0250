import Sandbox
import Testing

@Suite("Pagination")
struct PaginationTests {
    @Test("1000 monitors at per_page=250: four pages, absolute links, unique ids, url filter finds the last one")
    func thousandMonitors() async throws {
        try await withSandbox(SandboxConfiguration(monitors: 1000, now: testAnchor)) { server in
            let base = "http://127.0.0.1:\(server.port)/api/v2/monitors?per_page=250&page="
            var ids: [String] = []
            var lastPage: [JSON] = []
            for page in 1...4 {
                let payload = try server.json("/api/v2/monitors?per_page=250&page=\(page)")
                let data = try #require(payload["data"]?.arrayValue)
                #expect(data.count == 250)
                ids += data.compactMap { $0["id"]?.stringValue }
                let pagination = try #require(payload["pagination"])
                #expect(pagination["first"] == .string(base + "1"))
                #expect(pagination["last"] == .string(base + "4"))
                #expect(pagination["prev"] == (page == 1 ? .null : .string(base + String(page - 1))))
                #expect(pagination["next"] == (page == 4 ? .null : .string(base + String(page + 1))))
                lastPage = data
            }
            #expect(ids.count == 1000)
            #expect(Set(ids).count == 1000)

            let beyond = try server.json("/api/v2/monitors?per_page=250&page=5")
            #expect(beyond["data"] == .array([]))
            #expect(beyond["pagination"]?["next"] == .null)

            // The url filter finds a monitor that lives on the last page.
            let wanted = try #require(lastPage.last?["attributes"]?["url"]?.stringValue)
            let encoded = percentEncoded(wanted)
            let filtered = try server.json("/api/v2/monitors?url=\(encoded)")
            let found = try #require(filtered["data"]?.arrayValue)
            #expect(found.count == 1)
            #expect(found.first?["id"] == lastPage.last?["id"])
            #expect(
                filtered["pagination"]?["first"]
                    == .string("http://127.0.0.1:\(server.port)/api/v2/monitors?url=\(encoded)&page=1")
            )
        }
    }

    @Test("Following next links verbatim visits every monitor once")
    func followNext() async throws {
        try await withSandbox(SandboxConfiguration(monitors: 120, now: testAnchor)) { server in
            let items = try server.allPages("/api/v2/monitors")  // default 50 per page → 3 pages
            #expect(items.count == 120)
            #expect(Set(items.compactMap { $0["id"]?.stringValue }).count == 120)
        }
    }

    @Test("per_page defaults to 50 and is clamped to 250; incidents default to 10 and clamp to 50")
    func perPageLimits() async throws {
        try await withSandbox(SandboxConfiguration(monitors: 300, now: testAnchor)) { server in
            #expect(try server.json("/api/v2/monitors")["data"]?.arrayValue?.count == 50)
            let clamped = try server.json("/api/v2/monitors?per_page=1000")
            #expect(clamped["data"]?.arrayValue?.count == 250)
            #expect(clamped["pagination"]?["last"]?.stringValue?.hasSuffix("per_page=1000&page=2") == true)
            #expect(try server.json("/api/v3/incidents")["data"]?.arrayValue?.count == 10)
            #expect(try server.json("/api/v3/incidents?per_page=500")["data"]?.arrayValue?.count == 50)
        }
    }

    @Test("Links are built from the Host header")
    func linksFollowHost() async throws {
        try await withSandbox { server in
            let payload = try server.json("/api/v2/heartbeats", host: "sandbox.test:8080")
            #expect(payload["pagination"]?["first"] == .string("http://sandbox.test:8080/api/v2/heartbeats?page=1"))
            let url = payload["data"]?[0]?["attributes"]?["url"]?.stringValue
            #expect(url?.hasPrefix("http://sandbox.test:8080/api/v1/heartbeat/") == true)
        }
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
func percentEncoded(_ text: String) -> String {
    let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
    let hex = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = []
    for byte in text.utf8 {
        if unreserved.contains(byte) {
            out.append(byte)
        } else {
            out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
        }
    }
    return String(decoding: out, as: UTF8.self)
}
