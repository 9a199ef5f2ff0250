import TestSupport
import PrometheusExposition
@testable import Statuspage
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The module's `statuspage_*` output against statuspage-prometheus-exporter 2.6.0's real output
/// for the same input (`Tests/Fixtures/prometheus/statuspage-exporter-v2.6.0-*.prom`).
@Suite("Parity with statuspage-prometheus-exporter 2.6.0")
struct ExporterParityTests {
    /// Gauges whose value is a clock reading or a measured time: compared by series, not value.
    static let timeValued: Set<String> = [
        "statuspage_response_time_seconds", "statuspage_application_timestamp", "statuspage_component_timestamp",
    ]
    /// A fixed poll time, 2026-11-21T12:00:00.123Z.
    static let pollDate = Date(timeIntervalSince1970: 1_795_262_400.123)

    static let pairs = [
        ("summary-incident-example.json", "statuspage-exporter-v2.6.0-incident.prom"),
        ("discord-2022-02-summary.json", "statuspage-exporter-v2.6.0-operational.prom"),
    ]

    private func render(_ summaryFile: String) throws -> Exposition {
        let service = try Fixtures.exampleService()
        let observation = StatuspageObservation(
            service: service,
            probe: .success(try Fixtures.summary(summaryFile), url: service.summaryURL, responseTimeSeconds: 0.0147)
        )
        let bytes = StatuspageExporter.renderOnce([observation], now: { Self.pollDate })
        return try Exposition(String(decoding: bytes, as: UTF8.self))
    }

    @Test("Same families in the same order, with the same HELP and TYPE", arguments: pairs)
    func helpAndType(summaryFile: String, promFile: String) throws {
        let ours = try render(summaryFile)
        let theirs = try Exposition(try Fixtures.text("prometheus/\(promFile)"))
        #expect(ours.families == theirs.families)
        #expect(ours.help == theirs.help)
        #expect(ours.types == theirs.types)
        #expect(ours.families == StatuspageMetricFamily.allCases.map(\.name))
    }

    @Test("Same series, label sets and values (time-valued gauges: same series)", arguments: pairs)
    func samples(summaryFile: String, promFile: String) throws {
        let ours = try render(summaryFile)
        let theirs = try Exposition(try Fixtures.text("prometheus/\(promFile)"))

        let oursExact = ours.samples.filter { !Self.timeValued.contains($0.name) }
        let theirsExact = theirs.samples.filter { !Self.timeValued.contains($0.name) }
        #expect(Set(oursExact) == Set(theirsExact))
        #expect(oursExact.count == theirsExact.count)
        // Not just the same set: the same order within each family, as prometheus_client wrote it.
        #expect(oursExact.map(\.series) == theirsExact.map(\.series))

        let oursTimed = ours.samples.filter { Self.timeValued.contains($0.name) }.map(\.series)
        let theirsTimed = theirs.samples.filter { Self.timeValued.contains($0.name) }.map(\.series)
        #expect(oursTimed == theirsTimed)
    }

    @Test("Labels are written sorted by name, as prometheus_client writes them", arguments: pairs)
    func labelOrder(summaryFile: String, promFile: String) throws {
        let ours = try render(summaryFile)
        let theirs = try Exposition(try Fixtures.text("prometheus/\(promFile)"))
        #expect(ours.samples.map(\.labelOrder) == theirs.samples.map(\.labelOrder))
        for sample in ours.samples { #expect(sample.labelOrder == sample.labelOrder.sorted()) }
    }

    @Test("Time-valued gauges carry the poll time and the measured response time")
    func timeValues() throws {
        let ours = try render("summary-incident-example.json")
        let pollMilliseconds = 1_795_262_400_123.0
        #expect(ours.samples(named: "statuspage_application_timestamp").map(\.value) == [pollMilliseconds])
        #expect(
            ours.samples(named: "statuspage_component_timestamp").map(\.value)
                == Array(repeating: pollMilliseconds, count: 4)
        )
        #expect(ours.samples(named: "statuspage_response_time_seconds").map(\.value) == [0.0147])
    }

    @Test("services.json is read as the exporter reads it")
    func servicesFile() throws {
        let service = try Fixtures.exampleService()
        #expect(
            service
                == StatuspageService(
                    key: "example",
                    name: "Example Cloud",
                    url: "http://127.0.0.1:PORT/api/v2/summary.json"
                )
        )
    }
}
