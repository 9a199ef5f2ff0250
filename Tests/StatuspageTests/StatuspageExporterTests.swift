import TestSupport
import PrometheusExposition
@testable import Statuspage
import Synchronization
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A settable wall clock for the exporter.
final class TestClock: Sendable {
    private let milliseconds: Mutex<Int64>

    init(_ milliseconds: Int64 = 1_795_262_400_000) { self.milliseconds = Mutex(milliseconds) }

    func advance(hours: Double) { milliseconds.withLock { $0 += Int64(hours * 3_600_000) } }
    var nowMilliseconds: Int64 { milliseconds.withLock { $0 } }
    var date: Date { Date(timeIntervalSince1970: Double(nowMilliseconds) / 1000) }
    var clock: StatuspageExporter.Clock { { self.date } }
}

/// The daemon's behaviour over several runs: fallback, sticky series, stable labels, uptime.
@Suite("Exporter across runs")
struct StatuspageExporterTests {
    static let service = StatuspageService(key: "example", name: "Example Cloud", url: "https://status.example.com")
    static let failure = StatuspageProbeFailure(.httpStatus(503), detail: "status 503")

    private func live(_ summary: StatuspageSummary, _ service: StatuspageService = service, seconds: Double = 0.2)
        -> StatuspageObservation
    {
        StatuspageObservation(service: service, probe: .success(summary, responseTimeSeconds: seconds))
    }

    private func failed(_ service: StatuspageService = service) -> StatuspageObservation {
        StatuspageObservation(service: service, probe: .failure(Self.failure, responseTimeSeconds: 3.5))
    }

    private func exposition(_ exporter: StatuspageExporter) throws -> Exposition {
        var writer = PrometheusTextWriter()
        exporter.write(into: &writer)
        return try Exposition(String(decoding: writer.bytes, as: UTF8.self))
    }

    private func values(_ exposition: Exposition, _ family: String, key: String) -> [String: Double] {
        Dictionary(exposition.samples(named: family).map { ($0.labels[key] ?? "", $0.value) }, uniquingKeysWith: { $1 })
    }

    @Test("A failed probe with nothing to fall back on: probe_check 0, response time 0, HELP/TYPE for every family")
    func failureWithoutHistory() throws {
        let exporter = StatuspageExporter()
        let outcomes = exporter.record([failed()])
        #expect(outcomes.map(\.source) == [.unavailable])
        #expect(outcomes.first?.failure == Self.failure)
        let output = try exposition(exporter)
        #expect(output.families == StatuspageMetricFamily.allCases.map(\.name))
        #expect(
            Set(output.samples) == [
                .init(
                    name: "statuspage_response_time_seconds",
                    labels: ["service_name": "Example Cloud"],
                    value: 0,
                    labelOrder: []
                ),
                .init(
                    name: "statuspage_probe_check",
                    labels: ["service_name": "Example Cloud"],
                    value: 0,
                    labelOrder: []
                ),
            ]
        )
    }

    @Test("A failed probe after a good one: the last good answer stands in, probe_check 1, response time 0")
    func fallbackToLastGoodAnswer() throws {
        let clock = TestClock()
        let exporter = StatuspageExporter(now: clock.clock)
        let summary = try Fixtures.summary("summary-incident-example.json")
        exporter.record([live(summary)])
        let before = try exposition(exporter)
        clock.advance(hours: 1)
        let outcomes = exporter.record([failed()])
        #expect(outcomes.map(\.source) == [.lastGoodAnswer])
        let after = try exposition(exporter)

        #expect(after.samples(named: "statuspage_probe_check").map(\.value) == [1])
        #expect(after.samples(named: "statuspage_response_time_seconds").map(\.value) == [0])
        for family in [
            "statuspage_service_status", "statuspage_incident_info", "statuspage_maintenance_info",
            "statuspage_component_status", "statuspage_uptime_percentage",
        ] {
            #expect(after.samples(named: family) == before.samples(named: family), "\(family)")
        }
        // Timestamps move with the run even on a stand-in answer.
        #expect(
            after.samples(named: "statuspage_application_timestamp").map(\.value) == [Double(clock.nowMilliseconds)]
        )
    }

    @Test(
        "A resolved incident stays at 0 with its labels; the placeholder then appears, and stays while a new incident runs"
    )
    func resolvedIncidentsAndPlaceholder() throws {
        let exporter = StatuspageExporter()
        var summary = try Fixtures.summary("summary-incident-example.json")
        exporter.record([live(summary)])
        let open = try #require(try exposition(exporter).samples(named: "statuspage_incident_info").first)

        let incident = summary.incidents[0]
        summary.incidents = []
        exporter.record([live(summary)])
        let resolved = try exposition(exporter).samples(named: "statuspage_incident_info")
        #expect(resolved.map(\.labels) == [open.labels, Self.placeholder])
        #expect(resolved.map(\.value) == [0, 0])

        var next = incident
        next.id = "second"
        summary.incidents = [next]
        exporter.record([live(summary)])
        let again = try exposition(exporter).samples(named: "statuspage_incident_info")
        #expect(again.map { $0.labels["incident_id"] } == ["2gztsrksff0v", "none", "second"])
        #expect(again.map(\.value) == [0, 0, 1])
    }

    static let placeholder = [
        "service_name": "Example Cloud", "incident_id": "none", "incident_name": "No Active Incidents",
        "impact": "none",
        "shortlink": "N/A", "started_at": "N/A", "affected_components": "N/A",
    ]

    @Test("An incident keeps the labels it was first seen with, so a rename does not start a new series")
    func stableLabels() throws {
        let exporter = StatuspageExporter()
        var summary = try Fixtures.summary("summary-incident-example.json")
        exporter.record([live(summary)])
        summary.incidents[0].name = "Renamed while open"
        summary.incidents[0].impact = .critical
        summary.scheduledMaintenances[0].name = "Renamed maintenance"
        exporter.record([live(summary)])
        let output = try exposition(exporter)
        let incidents = output.samples(named: "statuspage_incident_info")
        #expect(incidents.count == 1)
        #expect(incidents.first?.labels["incident_name"] == "Elevated API error rates")
        #expect(incidents.first?.labels["impact"] == "major")
        #expect(
            output.samples(named: "statuspage_maintenance_info").map { $0.labels["maintenance_name"] } == [
                "US East database upgrade"
            ]
        )
        // The severity still follows the live impact.
        #expect(values(output, "statuspage_service_status", key: "service_name") == ["Example Cloud": 0])
    }

    @Test("Ended maintenances and removed components stay at 0; per-run families are rebuilt")
    func removedComponentsAndEndedMaintenance() throws {
        let exporter = StatuspageExporter()
        var summary = try Fixtures.summary("summary-incident-example.json")
        exporter.record([live(summary)])
        summary.components.removeLast()
        summary.scheduledMaintenances = []
        exporter.record([live(summary)])
        let output = try exposition(exporter)
        #expect(
            values(output, "statuspage_component_status", key: "component_name") == [
                "API": 0, "Regions": 0, "EU West": 0, "US East": 0,
            ]
        )
        #expect(output.samples(named: "statuspage_component_timestamp").count == 3)
        let maintenances = output.samples(named: "statuspage_maintenance_info")
        #expect(maintenances.map { $0.labels["maintenance_id"] } == ["ymm0202y77k6", "none"])
        #expect(maintenances.map(\.value) == [0, 0])
    }

    @Test("Sticky series nobody set for the retention are dropped; nil keeps them")
    func retention() throws {
        let clock = TestClock()
        let bounded = StatuspageExporter(staleSeriesRetention: .seconds(3600), now: clock.clock)
        let unbounded = StatuspageExporter(staleSeriesRetention: nil, now: clock.clock)
        var summary = try Fixtures.summary("summary-incident-example.json")
        for exporter in [bounded, unbounded] { exporter.record([live(summary)]) }
        summary.incidents = []
        clock.advance(hours: 0.5)
        for exporter in [bounded, unbounded] { exporter.record([live(summary)]) }
        clock.advance(hours: 1.5)
        for exporter in [bounded, unbounded] { exporter.record([live(summary)]) }
        #expect(
            try exposition(bounded).samples(named: "statuspage_incident_info").map { $0.labels["incident_id"] } == [
                "none"
            ]
        )
        #expect(
            try exposition(unbounded).samples(named: "statuspage_incident_info").map { $0.labels["incident_id"] } == [
                "2gztsrksff0v", "none",
            ]
        )
    }

    @Test("Uptime: one sample per known run, windows of 24 h, 7 d and 30 d, absent until a sample exists")
    func uptimeWindows() throws {
        let clock = TestClock()
        let exporter = StatuspageExporter(now: clock.clock)
        let up = try Fixtures.summary("discord-2022-02-summary.json")
        let down = try Fixtures.summary("summary-incident-example.json")
        exporter.record([failed()])
        #expect(try exposition(exporter).samples(named: "statuspage_uptime_percentage").isEmpty)
        exporter.record([live(up)])  // t0: up
        clock.advance(hours: 1)
        exporter.record([live(down)])  // t0+1h: down
        clock.advance(hours: 24)
        exporter.record([live(up)])  // t0+25h: up; the first sample has left the 24 h window
        var output = try exposition(exporter)
        // (2 / 3) * 100, in the exporter's operation order: 66.66666666666666, not 200 / 3.
        let twoThirds: Double = 2.0 / 3.0 * 100.0
        #expect(
            values(output, "statuspage_uptime_percentage", key: "window") == [
                "24h": 50, "7d": twoThirds, "30d": twoThirds,
            ]
        )
        clock.advance(hours: 24 * 30)
        exporter.record([failed()])  // a stand-in answer is a sample too (the last good one: up)
        output = try exposition(exporter)
        #expect(values(output, "statuspage_uptime_percentage", key: "window") == ["24h": 100, "7d": 100, "30d": 100])
    }

    @Test("Several services: series in the order given, each service on its own history")
    func severalServices() throws {
        let other = StatuspageService(key: "other", name: "Other", url: "https://other.example.com/api/v2/summary.json")
        let exporter = StatuspageExporter()
        let outcomes = exporter.record([live(try Fixtures.summary("summary-incident-example.json")), failed(other)])
        #expect(outcomes.map(\.source) == [.live, .unavailable])
        let output = try exposition(exporter)
        #expect(
            output.samples(named: "statuspage_probe_check").map { $0.labels["service_name"] } == [
                "Example Cloud", "Other",
            ]
        )
        #expect(values(output, "statuspage_probe_check", key: "service_name") == ["Example Cloud": 1, "Other": 0])
        #expect(
            output.samples(named: "statuspage_service_status").map { $0.labels["service_name"] } == ["Example Cloud"]
        )
        try Promtool.expectClean(renderedBytes(exporter), "two services")
    }

    private func renderedBytes(_ exporter: StatuspageExporter) -> [UInt8] {
        var writer = PrometheusTextWriter()
        exporter.write(into: &writer)
        return writer.bytes
    }
}

@Suite("Uptime tracker")
struct UptimeTrackerTests {
    @Test("Samples older than 30 days are forgotten when a new one arrives")
    func trimming() {
        var tracker = StatuspageUptimeTracker()
        let day: Int64 = 86_400_000
        for index in 0..<40 {
            tracker.record(serviceKey: "a", operational: index % 2 == 0, atMilliseconds: Int64(index) * day)
        }
        #expect(tracker.sampleCount(serviceKey: "a") == 31)  // days 9…39: 39 - 30 = 9 is the cutoff, kept
        // The day window at day 39 holds days 38 (up) and 39 (down).
        #expect(tracker.percentage(serviceKey: "a", window: .day, atMilliseconds: 39 * day) == 50)
        #expect(tracker.percentage(serviceKey: "a", window: .week, atMilliseconds: 39 * day) == 50)
        #expect(tracker.percentage(serviceKey: "b", window: .month, atMilliseconds: 0) == nil)
    }
}
