import BetterStack
import Sandbox
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `request_timeout` is milliseconds for server and port monitors (`ping`, `tcp`, `udp`, `smtp`,
/// `pop`, `imap`, `dns`) and seconds for every other type (the vendor's Terraform provider,
/// `resource_monitor.go`). The model keeps the raw value and reads it with its unit.
@Suite("Monitor request_timeout units")
struct MonitorRequestTimeoutTests {
    func decode(_ json: String) throws -> Monitor {
        try JSONDecoder().decode(ResourceDocument<Monitor>.self, from: Data(json.utf8)).data
    }

    func monitor(type: String?, timeout: Int?) throws -> Monitor {
        let typeField = type.map { "\"monitor_type\": \"\($0)\", " } ?? ""
        let timeoutField = timeout.map { "\"request_timeout\": \($0), " } ?? ""
        return try decode(
            #"{"data": {"id": "1", "type": "monitor", "attributes": {"#
                + typeField + timeoutField + #""status": "up"}}}"#
        )
    }

    @Test("The fixtures (keyword 15, status 30) are seconds")
    func fixtures() throws {
        let keyword = try JSONDecoder().decode(
            ResourceDocument<Monitor>.self,
            from: Data(try Fixtures.bytes("monitor.json"))
        ).data
        #expect(keyword.monitorType == "keyword")
        #expect(keyword.requestTimeout == 15)
        #expect(keyword.requestTimeoutUnit == .seconds)
        #expect(keyword.requestTimeoutDuration == .seconds(15))
        #expect(keyword.requestTimeoutSeconds == 15)

        let status = try JSONDecoder().decode(
            ResourceDocument<Monitor>.self,
            from: Data(try Fixtures.bytes("monitor-with-relationships.json"))
        ).data
        #expect(status.monitorType == "status")
        #expect(status.requestTimeout == 30)
        #expect(status.requestTimeoutDuration == .seconds(30))

        let list = try JSONDecoder().decode(ListDocument<Monitor>.self, from: Data(try Fixtures.bytes("monitors.json")))
        #expect(list.data.first?.requestTimeoutSeconds == 15)
    }

    static let cases: [(String, Int, Duration, Double)] = [
        ("ping", 500, .milliseconds(500), 0.5),
        ("tcp", 2000, .milliseconds(2000), 2),
        ("udp", 1000, .milliseconds(1000), 1),
        ("smtp", 3000, .milliseconds(3000), 3),
        ("pop", 5000, .milliseconds(5000), 5),
        ("imap", 500, .milliseconds(500), 0.5),
        ("dns", 1000, .milliseconds(1000), 1),
        ("TCP", 500, .milliseconds(500), 0.5),
        ("status", 30, .seconds(30), 30),
        ("keyword", 15, .seconds(15), 15),
        ("keyword_absence", 10, .seconds(10), 10),
        ("expected_status_code", 2, .seconds(2), 2),
        ("playwright", 900, .seconds(900), 900),
        ("some_future_type", 45, .seconds(45), 45),
    ]

    @Test("Server and port types are milliseconds; every other type is seconds", arguments: cases)
    func perType(type: String, raw: Int, duration: Duration, seconds: Double) throws {
        let monitor = try monitor(type: type, timeout: raw)
        #expect(monitor.requestTimeout == raw)  // the raw value is kept
        #expect(monitor.requestTimeoutDuration == duration)
        #expect(monitor.requestTimeoutSeconds == seconds)
    }

    @Test("No value, no type or a negative value: no duration; encoding keeps the raw value")
    func missing() throws {
        #expect(try monitor(type: "tcp", timeout: nil).requestTimeoutDuration == nil)
        let untyped = try monitor(type: nil, timeout: 500)
        #expect(untyped.requestTimeout == 500)
        #expect(untyped.requestTimeoutUnit == nil && untyped.requestTimeoutDuration == nil)
        #expect(try monitor(type: "ping", timeout: -1).requestTimeoutSeconds == nil)

        let tcp = try monitor(type: "tcp", timeout: 500)
        let again = try decode(
            String(decoding: try JSONEncoder().encode(ResourceDocumentBox(data: tcp)), as: UTF8.self)
        )
        #expect(again.requestTimeout == 500 && again.requestTimeoutSeconds == 0.5)
        #expect(Monitor.RequestTimeoutUnit(monitorType: "dns") == .milliseconds)
        #expect(Monitor.RequestTimeoutUnit(monitorType: "status") == .seconds)
    }

    @Test("Sandbox monitors of both kinds, read through the client")
    func sandboxMonitors() async throws {
        let outcome = try await SandboxHarness.run(monitors: 60) { context in
            let monitors = try await context.client.monitors()
            var kinds: Set<String> = []
            for monitor in monitors {
                let type = monitor.monitorType ?? ""
                let seconds = try #require(monitor.requestTimeoutSeconds, "\(monitor.id)")
                if Monitor.RequestTimeoutUnit.millisecondTypes.contains(type) {
                    kinds.insert("milliseconds")
                    #expect(monitor.requestTimeoutUnit == .milliseconds)
                    #expect((0.5...5).contains(seconds), "\(type) \(monitor.requestTimeout ?? -1)")
                    #expect((500...5000).contains(monitor.requestTimeout ?? 0))
                } else {
                    kinds.insert("seconds")
                    #expect(monitor.requestTimeoutUnit == .seconds)
                    #expect((15...120).contains(seconds), "\(type) \(monitor.requestTimeout ?? -1)")
                }
            }
            // Monitor 17 is a TCP monitor, monitor 13 a ping, monitor 1 a status monitor.
            let tcp = try #require(monitors.first { $0.id == "200017" })
            #expect(tcp.monitorType == "tcp")
            #expect(tcp.requestTimeoutDuration == .milliseconds(tcp.requestTimeout ?? 0))
            let status = try #require(monitors.first { $0.id == "200001" })
            #expect(status.requestTimeoutDuration == .seconds(status.requestTimeout ?? 0))
            return kinds.sorted().joined(separator: ",")
        }
        #expect(outcome.error == nil)
        #expect(outcome.value == "milliseconds,seconds")
    }
}

/// `{"data": <monitor>}` for encoding a single resource back.
private struct ResourceDocumentBox: Encodable {
    var data: Monitor
}
