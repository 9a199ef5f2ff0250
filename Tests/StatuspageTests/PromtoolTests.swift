import TestSupport
import PrometheusExposition
@testable import Statuspage
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `promtool check metrics` (the real one, from Debian's `prometheus`) on what the module renders.
@Suite("promtool check metrics")
struct PromtoolTests {
    @Test("promtool is installed (the test script installs Debian's 'prometheus')")
    func installed() {
        #expect(
            Promtool.executable != nil,
            "promtool not found on PATH: install the Debian package 'prometheus' (apt-get install prometheus)"
        )
    }

    @Test("The harness itself: the exporter's real output is clean, a broken exposition is not")
    func harness() throws {
        for file in ["statuspage-exporter-v2.6.0-incident.prom", "statuspage-exporter-v2.6.0-operational.prom"] {
            try Promtool.expectClean(try Fixtures.bytes("prometheus/\(file)"), file)
        }
        let broken = Array("# TYPE x info\nx{a=\"b\"} 1\n".utf8)
        let result = try Promtool.checkMetrics(broken)
        #expect(result.map { $0.exitCode != 0 } ?? true)
    }

    @Test("Rendered output for every Statuspage fixture is clean", arguments: Fixtures.statuspageFiles)
    func everyFixture(file: String) throws {
        let service = try Fixtures.exampleService()
        // The sibling endpoints decode leniently as partial summaries; they render too.
        let summary = try Fixtures.summary(file)
        let bytes = StatuspageExporter.renderOnce([
            StatuspageObservation(service: service, probe: .success(summary, responseTimeSeconds: 0.0147))
        ])
        try Promtool.expectClean(bytes, file)
    }

    @Test("Sticky series over several runs, failures included, stay clean")
    func severalRuns() throws {
        let clock = TestClock()
        let exporter = StatuspageExporter(now: clock.clock)
        let service = try Fixtures.exampleService()
        var summary = try Fixtures.summary("summary-incident-example.json")
        let failure = StatuspageProbeFailure(.transport(.connection), detail: "reset")
        for run in 0..<6 {
            if run == 2 { summary.incidents = [] }
            if run == 3 { summary.components.removeFirst() }
            let probe: StatuspageProbe = run == 4 ? .failure(failure) : .success(summary, responseTimeSeconds: 0.01)
            exporter.record([StatuspageObservation(service: service, probe: probe)])
            clock.advance(hours: 1)
        }
        var writer = PrometheusTextWriter()
        exporter.write(into: &writer)
        try Promtool.expectClean(writer.bytes, "six runs")
    }
}
