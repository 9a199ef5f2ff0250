import Sandbox
import Testing

/// `request_timeout` is in milliseconds for server and port monitors and in seconds for the
/// others (the vendor's Terraform provider, `resource_monitor.go`), so the generated monitors
/// carry values from each unit's valid options.
@Suite("request_timeout units per monitor type")
struct RequestTimeoutTests {
    static let millisecondTypes: Set<String> = ["ping", "tcp", "udp", "smtp", "pop", "imap", "dns"]

    @Test("120 monitors: ping/tcp/dns in 500…5000 ms, HTTP types 15 or 30 s, Playwright 30…120 s")
    func unitsPerType() async throws {
        try await withSandbox(SandboxConfiguration(monitors: 120, now: testAnchor)) { server in
            let monitors = try server.allPages("/api/v2/monitors?per_page=250")
            #expect(monitors.count == 120)
            var seen: [String: Set<Int>] = [:]
            for monitor in monitors {
                let attributes = monitor["attributes"]
                let type = try #require(attributes?["monitor_type"]?.stringValue)
                let timeout = try #require(attributes?["request_timeout"]?.intValue)
                seen[type, default: []].insert(timeout)
                if Self.millisecondTypes.contains(type) {
                    #expect([500, 1000, 2000, 3000, 5000].contains(timeout), "\(type) \(timeout)")
                } else if type == "playwright" {
                    #expect([30, 60, 120].contains(timeout), "\(type) \(timeout)")
                } else {
                    #expect([15, 30].contains(timeout), "\(type) \(timeout)")
                }
            }
            // Both kinds are present, with some variety in milliseconds.
            for type in ["ping", "tcp", "dns", "status", "keyword", "expected_status_code", "playwright"] {
                #expect(seen[type] != nil, "no \(type) monitor among 120")
            }
            let milliseconds = seen.filter { Self.millisecondTypes.contains($0.key) }.values.reduce(into: Set<Int>()) {
                $0.formUnion($1)
            }
            #expect(milliseconds.count >= 3)
            // The single-monitor payload agrees with the list.
            let tcp = try server.json("/api/v2/monitors/200017")["data"]?["attributes"]
            #expect(tcp?["monitor_type"] == .string("tcp"))
            #expect((tcp?["request_timeout"]?.intValue ?? 0) >= 500)
        }
    }
}
