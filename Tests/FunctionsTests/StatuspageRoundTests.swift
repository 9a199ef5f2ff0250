import Functions
import Glibc
import Logging
import PrometheusExposition
import Sandbox
@testable import Statuspage
import TTLCache
import Testing

/// One dead page must not blank the others: a round has a deadline, and every page that
/// answered by then is recorded.
@Suite("Statuspage rounds: pages independent, bounded by the round's deadline")
struct StatuspageRoundTests {
    /// A loopback port nobody listens on: connections are refused at once.
    static func refusingPort() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int32(UInt16(bigEndian: address.sin_port))
    }

    /// A loopback listener that never accepts: connections complete in its backlog and then
    /// nothing is ever answered (a stalled page). Returns the socket (close it) and its port.
    static func stallingListener() throws -> (fd: Int32, port: Int32) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        listen(fd, 16)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return (fd, Int32(UInt16(bigEndian: address.sin_port)))
    }

    @Test("a refusing page and a stalling page: the others are recorded live within the deadline")
    func deadPagesDoNotBlankTheOthers() async throws {
        var logger = Logger(label: "statuspage-round")
        logger.logLevel = .critical
        let server = try await SandboxServer.start(SandboxConfiguration(port: 0, statuspages: 3, now: 1_777_713_300_000), logger: logger)
        let stalling = try Self.stallingListener()
        defer { close(stalling.fd) }
        let refusing = try Self.refusingPort()
        let page = { (slug: String) in
            StatuspageService(key: slug, name: "Sandbox \(slug)", url: "http://127.0.0.1:\(server.port)/statuspage/\(slug)")
        }
        let services = [
            page("discord"),
            StatuspageService(key: "refusing", name: "Refusing", url: "http://127.0.0.1:\(refusing)"),
            StatuspageService(key: "stalling", name: "Stalling", url: "http://127.0.0.1:\(stalling.port)"),
            page("incident-example"),
        ]
        // The exporter's own policy (15 s per attempt, 3 retries): without a round deadline the
        // stalling page alone would hold the round for a minute.
        let data = StatuspageData(
            services: services,
            client: StatuspageClient(logger: logger),
            roundDeadline: .milliseconds(1500)
        )
        let clock = ContinuousClock()
        let started = clock.now
        let round = await data.round().value
        let elapsed = clock.now - started
        try await server.shutdown()

        #expect(elapsed < .seconds(10), "the round is bounded by its deadline, not by the stalled page (\(elapsed))")
        let byName = Dictionary(uniqueKeysWithValues: round.outcomes.map { ($0.service.key, $0) })
        #expect(byName["discord"]?.source == .live)
        #expect(byName["incident-example"]?.source == .live)
        #expect(byName["refusing"]?.source != .live && byName["stalling"]?.source != .live)
        #expect(!round.allAnswered)

        var writer = PrometheusTextWriter()
        data.exporter.write(into: &writer)
        let text = String(decoding: writer.bytes, as: UTF8.self)
        #expect(text.contains(#"statuspage_probe_check{service_name="Sandbox discord"} 1"#), "\(text.prefix(400))")
        #expect(text.contains(#"statuspage_probe_check{service_name="Refusing"} 0"#))
        #expect(text.contains(#"statuspage_probe_check{service_name="Stalling"} 0"#))
    }
}
