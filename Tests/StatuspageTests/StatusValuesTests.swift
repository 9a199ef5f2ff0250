import PrometheusExposition
@testable import Statuspage
import TestSupport
import Testing

/// `statuspage.status_values`: the published 2.6.0's two values by default, the exporter README's
/// three on request, on the fixture pages (operational, maintenance, incident), promtool-clean.
@Suite("statuspage_service_status values")
struct StatusValuesTests {
    /// The fixture pages: Discord's operational summary; the incident example (a `major`
    /// incident, a maintenance in progress, degraded components); and the same page once the
    /// incident is over, with only the maintenance left (page indicator `maintenance`, one
    /// component `under_maintenance`, the others operational).
    static func pages() throws -> [(name: String, summary: StatuspageSummary)] {
        let operational = try Fixtures.summary("discord-2022-02-summary.json")
        let incident = try Fixtures.summary("summary-incident-example.json")
        var maintenance = incident
        maintenance.incidents = []
        maintenance.status?.indicator = .maintenance
        maintenance.components = maintenance.components.map { component in
            var copy = component
            if copy.status != .underMaintenance { copy.status = .operational }
            return copy
        }
        return [("operational", operational), ("maintenance", maintenance), ("incident", incident)]
    }

    func render(_ values: StatuspageStatusValues) throws -> (bytes: [UInt8], status: [String: Double]) {
        let pages = try Self.pages()
        let observations = pages.map { page in
            StatuspageObservation(
                service: StatuspageService(key: page.name, name: page.name, url: "https://\(page.name).example.com"),
                probe: .success(page.summary, responseTimeSeconds: 0.01)
            )
        }
        let bytes = StatuspageExporter.renderOnce(observations, statusValues: values)
        let exposition = try Exposition(String(decoding: bytes, as: UTF8.self))
        let status = Dictionary(
            exposition.samples(named: "statuspage_service_status").map { ($0.labels["service_name"] ?? "", $0.value) },
            uniquingKeysWith: { $1 }
        )
        return (bytes, status)
    }

    @Test func theDefaultIsThePublishedExportersOneOrZero() throws {
        let (bytes, status) = try render(.exporter)
        #expect(status == ["operational": 1, "maintenance": 0, "incident": 0])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("# HELP statuspage_service_status Status of monitored services (1=operational, 0=incident/down)\n"))
        try Promtool.expectClean(bytes, "exporter values")
    }

    @Test func threeStateTellsMaintenanceFromIncidents() throws {
        let (bytes, status) = try render(.threeState)
        #expect(status == ["operational": 1, "maintenance": 0, "incident": -1])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(
            text.contains(
                "# HELP statuspage_service_status Status of monitored services (1=operational, 0=maintenance, -1=incident/down)\n"
            )
        )
        try Promtool.expectClean(bytes, "three_state values")
    }

    /// The rules at their edges: a merely scheduled maintenance is still operational; a
    /// degraded component without an incident, or an unknown indicator, is down.
    @Test func threeStateEdges() throws {
        let operational = try Fixtures.summary("discord-2022-02-summary.json")
        let maintenanceSource = try Fixtures.summary("summary-incident-example.json").scheduledMaintenances
        var scheduled = operational
        scheduled.scheduledMaintenances = maintenanceSource.map { maintenance in
            var copy = maintenance
            copy.status = .init(rawValue: "scheduled")
            return copy
        }
        #expect(StatuspageAssessment(summary: scheduled, pageBaseURL: "").threeStateStatus == 1)

        var underWay = scheduled
        underWay.scheduledMaintenances = maintenanceSource
        #expect(StatuspageAssessment(summary: underWay, pageBaseURL: "").threeStateStatus == 0)

        var degraded = operational
        degraded.components[0].status = .degradedPerformance
        #expect(StatuspageAssessment(summary: degraded, pageBaseURL: "").threeStateStatus == -1)

        var unknown = operational
        unknown.status?.indicator = nil
        #expect(StatuspageAssessment(summary: unknown, pageBaseURL: "").threeStateStatus == -1)
    }
}
