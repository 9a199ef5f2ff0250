import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// One dead status page never blanks the others, under FastCGI and CGI; under CGI the exporter's
/// memory (last good answers, uptime) survives from one run to the next, as the exporter's
/// RUN_MODE=once keeps it in its cache directory.
@Suite("Statuspage pages: independent, bounded, remembered under CGI", .serialized)
struct StatuspagePagesTests {
    /// A listener that never accepts: connections complete in the backlog, nothing is answered.
    final class StallingListener: @unchecked Sendable {
        let fd: Int32
        let port: Int

        init() throws {
            let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) }
            }
            listen(socketFD, 64)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
            }
            fd = socketFD
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(fd) }
    }

    /// services.json: two sandbox pages, one refusing connections, one stalling.
    static func services(_ sandboxURL: String, _ scratch: ScratchDirectory, refusing: Int, stalling: Int) throws -> String {
        let services: [String: Any] = [
            "discord": ["url": "\(sandboxURL)/statuspage/discord/api/v2/summary.json", "name": "Discord"],
            "example": ["url": "\(sandboxURL)/statuspage/incident-example/api/v2/summary.json", "name": "Example Cloud"],
            "refusing": ["url": "http://127.0.0.1:\(refusing)/api/v2/summary.json", "name": "Refusing"],
            "stalling": ["url": "http://127.0.0.1:\(stalling)/api/v2/summary.json", "name": "Stalling"],
        ]
        let path = scratch.file("services.json")
        try JSONSerialization.data(withJSONObject: services).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func probeCheck(_ exposition: String, _ name: String) -> String? {
        let prefix = "statuspage_probe_check{service_name=\"\(name)\"} "
        return exposition.split(separator: "\n").first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    @Test("FastCGI: a refusing and a stalling page; the two others are live in the first scrape, within the budget")
    func fastCGI() async throws {
        let stalling = try StallingListener()
        let refusing = try freePort()
        try await withNginxStack(
            bridgeEnvironment: ["UPTIME_BRIDGE_SCRAPE_BUDGET_MS": "2000"],
            sandboxArguments: ["--statuspages", "2"],
            sandboxEnvironment: { url, scratch in
                ["UPTIME_BRIDGE_STATUSPAGE_SERVICES": try Self.services(url, scratch, refusing: refusing, stalling: stalling.port)]
            }
        ) { stack in
            let started = Date()
            let answer = try await HTTP.send("GET", stack.base + "/metrics", timeout: .seconds(30))
            let seconds = Date().timeIntervalSince(started)
            #expect(answer.status == 200)
            #expect(Self.probeCheck(answer.body, "Discord") == "1", "\(answer.body.prefix(2000))")
            #expect(Self.probeCheck(answer.body, "Example Cloud") == "1")
            #expect(Self.probeCheck(answer.body, "Refusing") == "0")
            #expect(Self.probeCheck(answer.body, "Stalling") == "0")
            #expect(answer.body.contains("statuspage_service_status{service_name=\"Discord\"}"))
            // Loose: the round ends at 90 % of the 2 s budget; the exporter's 15 s timeout with
            // retries would take a minute.
            #expect(seconds < 10, "scrape took \(seconds) s")
        }
    }

    @Test("CGI: two runs; the page failing in the second keeps its last good values with probe_check 1")
    func cgiRemembers() async throws {
        let stalling = try StallingListener()
        let refusing = try freePort()
        let scratch = try ScratchDirectory("statuspage-cgi")
        defer { scratch.cleanup() }
        let sandboxPort = try freePort()
        let sandbox = try ManagedProcess(
            "uptime-bridge-sandbox",
            executable: Paths.sandbox,
            arguments: ["--port", "\(sandboxPort)", "--statuspages", "2"],
            logPath: scratch.file("sandbox.log")
        )
        defer { sandbox.stop() }
        let sandboxURL = "http://127.0.0.1:\(sandboxPort)"
        try await HTTP.waitUntilUp(sandboxURL + "/_sandbox/health", process: sandbox)
        let server = try await CGITests.Lighttpd(environment: [
            "BETTERSTACK_API_URL": sandboxURL, "BETTERSTACK_API_TOKEN": "sandbox-token",
            "UPTIME_BRIDGE_CACHE_DIR": scratch.file("cache"),
            "UPTIME_BRIDGE_STATUSPAGE_SERVICES": try Self.services(sandboxURL, scratch, refusing: refusing, stalling: stalling.port),
        ])
        defer { server.stop() }

        let first = try await HTTP.send("GET", server.script + "/metrics", timeout: .seconds(30))
        #expect(first.status == 200, "\(first.body.prefix(500))")
        #expect(Self.probeCheck(first.body, "Discord") == "1", "\(first.body.prefix(2000))")
        #expect(Self.probeCheck(first.body, "Refusing") == "0" && Self.probeCheck(first.body, "Stalling") == "0")

        // Every summary now fails (503): the second run falls back on the first run's answers.
        _ = try await HTTP.send(
            "POST", sandboxURL + "/_sandbox/faults",
            body: Array(#"{"route":"statuspage_summary","status":503}"#.utf8),
            headers: [("Content-Type", "application/json")]
        )
        let second = try await HTTP.send("GET", server.script + "/metrics", timeout: .seconds(30))
        #expect(second.status == 200)
        #expect(Self.probeCheck(second.body, "Discord") == "1", "the last good answer stands in: \(second.body.prefix(2000))")
        #expect(Self.probeCheck(second.body, "Example Cloud") == "1")
        #expect(second.body.contains("statuspage_service_status{service_name=\"Discord\"}"))
        #expect(second.body.contains("statuspage_response_time_seconds{service_name=\"Discord\"} 0"))
        // Two runs of uptime history: both saw Discord operational.
        #expect(second.body.contains("statuspage_uptime_percentage{service_name=\"Discord\",window=\"24h\"} 100"))
        #expect(Self.probeCheck(second.body, "Refusing") == "0")
    }
}
