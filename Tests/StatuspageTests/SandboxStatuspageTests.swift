import TestSupport
import Logging
import PrometheusExposition
import Sandbox
@testable import Statuspage
import Testing
import UpstreamHTTP

/// A fixed anchor, 2026-05-02T09:15:00.000Z, so generated pages do not drift with the clock.
private let anchor: Int64 = 1_777_713_300_000

/// Runs `body` against an in-process sandbox on an ephemeral loopback port.
/// The sandbox at the anchor, with `statuspages` generated pages.
private func withStatuspageSandbox<T>(statuspages: Int = 3, _ body: (SandboxServer) async throws -> T) async throws -> T {
    try await withSandbox(SandboxConfiguration(statuspages: statuspages, now: anchor), body)
}

/// The real client (AsyncHTTPClient) against the sandbox's Statuspage routes.
@Suite("Client against the sandbox")
struct SandboxStatuspageTests {
    private static var logger: Logger {
        var logger = Logger(label: "statuspage-client")
        logger.logLevel = .critical  // failures are the point of several tests here
        return logger
    }

    private func client(_ policy: RetryPolicy = .none) -> StatuspageClient {
        var policy = policy
        policy.backoff = .urllib3(factor: .zero)
        return StatuspageClient(configuration: .init(timeout: .seconds(10), retryPolicy: policy), logger: Self.logger)
    }

    private func service(_ server: SandboxServer, _ slug: String) -> StatuspageService {
        StatuspageService(key: slug, name: "Sandbox \(slug)", url: "http://127.0.0.1:\(server.port)/statuspage/\(slug)")
    }

    @Test(
        "Fixture pages decode exactly as the fixture files do",
        arguments: [("discord", "discord-2022-02-summary.json"), ("incident-example", "summary-incident-example.json")]
    )
    func fixturePages(slug: String, file: String) async throws {
        try await withStatuspageSandbox { server in
            let expected = try Fixtures.summary(file)
            let probe = await client().probe(service(server, slug))
            #expect(probe.succeeded)
            #expect(probe.summary == expected)
            #expect(probe.responseTimeSeconds > 0)
            #expect(server.requestCount(.statuspageSummary) == 1)
        }
    }

    @Test("Probed through the sandbox, the fixture pages still render the exporter's series")
    func parityThroughTheWire() async throws {
        try await withStatuspageSandbox { server in
            let example = try Fixtures.exampleService()
            var service = service(server, "incident-example")
            service.name = example.name
            let probe = await client().probe(service)
            let ours = try Exposition(
                String(decoding: StatuspageExporter.renderOnce([.init(service: service, probe: probe)]), as: UTF8.self)
            )
            let theirs = try Exposition(try Fixtures.text("prometheus/statuspage-exporter-v2.6.0-incident.prom"))
            let exact = { (samples: [Exposition.Sample]) in
                Set(samples.filter { !ExporterParityTests.timeValued.contains($0.name) })
            }
            // Only the synthesized shortlink could differ (it uses the page URL); the fixture has real ones.
            #expect(exact(ours.samples) == exact(theirs.samples))
        }
    }

    static let faults: [(String, Fault)] = [
        ("503", Fault(route: .statuspageSummary, status: 503)),
        ("reset", Fault(route: .statuspageSummary, reset: true)),
        ("garbage", Fault(route: .statuspageSummary, garbage: true)),
        ("garbage 502", Fault(route: .statuspageSummary, status: 502, garbage: true)),
        ("truncated JSON", Fault(route: .statuspageSummary, truncate: .json)),
        ("truncated connection", Fault(route: .statuspageSummary, truncate: .close)),
        ("429", Fault(route: .statuspageSummary, retryAfter: 1)),
    ]

    @Test(
        "A failed probe: probe_check 0, response time 0, no other series, HELP/TYPE of all nine families",
        arguments: faults
    )
    func failedProbe(name: String, fault: Fault) async throws {
        try await withStatuspageSandbox { server in
            server.setFault(fault)
            let service = service(server, "discord")
            let probe = await client().probe(service)
            #expect(!probe.succeeded, "\(name)")
            let bytes = StatuspageExporter.renderOnce([.init(service: service, probe: probe)])
            let output = try Exposition(String(decoding: bytes, as: UTF8.self))
            #expect(output.families == StatuspageMetricFamily.allCases.map(\.name))
            #expect(
                output.samples.map(\.description).sorted() == [
                    #"statuspage_probe_check{service_name="Sandbox discord"} 0.0"#,
                    #"statuspage_response_time_seconds{service_name="Sandbox discord"} 0.0"#,
                ],
                "\(name)"
            )
            try Promtool.expectClean(bytes, "failed probe (\(name))")
        }
    }

    @Test("The exporter's retry policy rides out two 503s; the third answer counts")
    func retriesThroughTheSandbox() async throws {
        try await withStatuspageSandbox { server in
            server.setFault(Fault(route: .statuspageSummary, status: 503, count: 2))
            let probe = await client(.statuspageExporter).probe(service(server, "incident-example"))
            #expect(probe.succeeded)
            #expect(server.requestCount(.statuspageSummary) == 3)
        }
    }

    @Test("429 with Retry-After is waited out and asked again (urllib3's Retry-After statuses); without it, not")
    func retryAfterIsHonoured() async throws {
        try await withStatuspageSandbox { server in
            server.setFault(Fault(route: .statuspageSummary, retryAfter: 1, count: 1))
            let probe = await client(.statuspageExporter).probe(service(server, "incident-example"))
            #expect(probe.succeeded)
            #expect(server.requestCount(.statuspageSummary) == 2)
        }
        try await withStatuspageSandbox { server in
            server.setFault(Fault(route: .statuspageSummary, status: 429, count: 1))
            let probe = await client(.statuspageExporter).probe(service(server, "incident-example"))
            #expect(!probe.succeeded, "429 is not in the exporter's status_forcelist")
            #expect(server.requestCount(.statuspageSummary) == 1)
        }
        #expect(RetryPolicy.statuspageExporter.retries(status: 413, hasRetryAfter: true))
        #expect(RetryPolicy.statuspageExporter.retries(status: 503, hasRetryAfter: false))
        #expect(!RetryPolicy.statuspageExporter.retries(status: 404, hasRetryAfter: true))
    }

    @Test("Generated pages decode, render and pass promtool check metrics together")
    func generatedPages() async throws {
        try await withStatuspageSandbox(statuspages: 12) { server in
            let client = client()
            var observations: [StatuspageObservation] = []
            for slug in ["discord", "incident-example"] + (1...12).map({ "page-\($0)" }) {
                let service = service(server, slug)
                let probe = await client.probe(service)
                #expect(probe.succeeded, "\(slug)")
                observations.append(StatuspageObservation(service: service, probe: probe))
            }
            let exporter = StatuspageExporter()
            let outcomes = exporter.record(observations)
            // page-1 is operational; pages 2, 3 and 4 are not (degraded, maintenance, outage).
            let status = Dictionary(
                uniqueKeysWithValues: outcomes.map { ($0.service.key, $0.assessment?.isOperational) }
            )
            #expect(status["page-1"] == true)
            #expect(status["page-2"] == false)
            #expect(status["page-3"] == false)
            #expect(status["page-4"] == false)
            #expect(outcomes.first { $0.service.key == "page-4" }?.assessment?.incidents.count == 2)
            #expect(outcomes.first { $0.service.key == "page-3" }?.assessment?.maintenances.first?.id != nil)

            var writer = PrometheusTextWriter()
            exporter.write(into: &writer)
            let output = try Exposition(String(decoding: writer.bytes, as: UTF8.self))
            // page-5 has a component with quotes and an incident name cut at 100 characters.
            #expect(
                output.samples(named: "statuspage_component_status").contains {
                    $0.labels["component_name"] == "Reports \"beta\""
                }
            )
            #expect(
                output.samples(named: "statuspage_incident_info").contains { $0.labels["incident_name"]?.count == 100 }
            )
            try Promtool.expectClean(writer.bytes, "14 sandbox pages")
        }
    }
}
