import TestSupport
@testable import Statuspage
import Testing

/// The exporter's rules, one by one, on hand-made summaries.
@Suite("Exporter rules")
struct StatuspageAssessmentTests {
    static let base = "https://status.example.com"

    private func component(_ name: String, _ status: StatuspageComponentStatus = .operational) -> StatuspageComponent {
        StatuspageComponent(id: name.lowercased(), name: name, status: status)
    }

    private func incident(
        _ id: String,
        impact: StatuspageIncidentImpact? = .minor,
        status: StatuspageIncidentStatus = .investigating,
        name: String? = nil,
        resolvedAt: String? = nil
    ) -> StatuspageIncident {
        StatuspageIncident(
            id: id,
            name: name ?? "Incident \(id)",
            status: status,
            resolvedAt: resolvedAt,
            impact: impact
        )
    }

    private func assess(_ summary: StatuspageSummary) -> StatuspageAssessment {
        StatuspageAssessment(summary: summary, pageBaseURL: Self.base)
    }

    @Test("Only the indicator 'none' is operational; minor, major, critical, maintenance and unknown are 0")
    func indicator() {
        for (indicator, operational) in [
            ("none", true), ("None", true), ("minor", false), ("major", false), ("critical", false),
            ("maintenance", false), ("purple", false),
        ] {
            let result = assess(
                StatuspageSummary(status: StatuspageStatus(indicator: StatuspageStatusIndicator(rawValue: indicator)))
            )
            #expect(result.isOperational == operational, "\(indicator)")
        }
        #expect(assess(StatuspageSummary()).indicator == "unknown")
        #expect(!assess(StatuspageSummary()).isOperational)
    }

    @Test("The highest impact among active incidents overrides the indicator; 'none' impacts do not")
    func severityOverride() {
        let none = StatuspageStatus(indicator: StatuspageStatusIndicator.none)
        var summary = StatuspageSummary(
            incidents: [
                incident("a", impact: .minor), incident("b", impact: .critical), incident("c", impact: .major),
            ],
            status: none
        )
        #expect(assess(summary).indicator == "critical")
        summary.incidents = [incident("a", impact: StatuspageIncidentImpact.none)]
        #expect(assess(summary).indicator == "none")
        #expect(assess(summary).isOperational)
        // Resolved ones (by status or by resolved_at) do not count.
        summary.incidents = [
            incident("a", impact: .major, status: .resolved),
            incident("b", impact: .major, resolvedAt: "2024-01-01T00:00:00Z"),
            incident("c", impact: .major, status: .postmortem),
        ]
        #expect(assess(summary).indicator == "none")
        #expect(assess(summary).incidents.isEmpty)
    }

    @Test("A component down with no active incident forces 'minor'; with an active incident it does not")
    func componentRule() {
        let none = StatuspageStatus(indicator: StatuspageStatusIndicator.none)
        var summary = StatuspageSummary(
            components: [component("API"), component("DB", .underMaintenance)],
            status: none
        )
        #expect(assess(summary).indicator == "minor")
        #expect(assess(summary).components.map(\.isOperational) == [true, false])
        // An active incident with impact "none" stops the forcing, and raises nothing itself.
        summary.incidents = [incident("a", impact: StatuspageIncidentImpact.none)]
        #expect(assess(summary).indicator == "none")
        // A component without status counts as down.
        let unknown = StatuspageSummary(components: [StatuspageComponent(name: "X")], status: none)
        #expect(assess(unknown).indicator == "minor")
        #expect(assess(unknown).components == [.init(name: "X", isOperational: false)])
    }

    @Test("_system_metadata incidents get no series and no severity, but still count as active")
    func systemMetadata() {
        let summary = StatuspageSummary(
            components: [component("API", .majorOutage)],
            incidents: [incident("sys", impact: .critical, name: "_system_metadata:probe")],
            status: StatuspageStatus(indicator: StatuspageStatusIndicator.none)
        )
        let result = assess(summary)
        #expect(result.incidents.isEmpty)
        #expect(result.indicator == "none")  // neither overridden nor forced to minor
    }

    @Test("Incidents: duplicates by id count once, defaults, synthesized shortlink, started_at fallback")
    func incidentLabels() {
        var first = incident("i1", impact: nil, name: nil)
        first.name = nil
        first.createdAt = "2024-05-14T10:25:10.666Z"
        first.components = [component("API"), StatuspageComponent(status: .operational)]
        let duplicate = incident("i1", impact: .critical, name: "duplicate")
        var linked = incident("i2", impact: .major)
        linked.shortlink = "https://stspg.io/x"
        linked.startedAt = "2024-05-14T10:25:10.659Z"
        let result = assess(StatuspageSummary(incidents: [first, duplicate, linked]))
        #expect(result.incidents.count == 2)
        #expect(result.incidents[0].name == "Unnamed incident")
        #expect(result.incidents[0].impact == "unknown")
        #expect(result.incidents[0].shortlink == "https://status.example.com/incidents/i1")
        #expect(result.incidents[0].startedAt == "2024-05-14T10:25:10.666Z")
        #expect(result.incidents[0].affectedComponents == ["API", ""])
        #expect(result.incidents[1].shortlink == "https://stspg.io/x")
        // The duplicate's impact still counts for the severity, as in the exporter.
        #expect(result.indicator == "critical")
    }

    @Test("Maintenances: scheduled counts as active, completed and cancelled do not, no shortlink is made up")
    func maintenances() {
        var scheduled = incident("m1", impact: .maintenance, status: .scheduled)
        scheduled.createdAt = "2024-05-10T16:57:33.416Z"
        var running = incident("m2", impact: .maintenance, status: .inProgress)
        running.scheduledFor = "2024-05-14T10:00:00.000Z"
        let done = incident("m3", impact: .maintenance, status: .completed)
        let cancelled = incident("m4", impact: .maintenance, status: StatuspageIncidentStatus(rawValue: "Cancelled"))
        let result = assess(
            StatuspageSummary(
                scheduledMaintenances: [scheduled, running, done, cancelled],
                status: StatuspageStatus(indicator: StatuspageStatusIndicator.none)
            )
        )
        #expect(result.maintenances.map(\.id) == ["m1", "m2"])
        #expect(result.maintenances[0].scheduledStart == "2024-05-10T16:57:33.416Z")  // created_at
        #expect(result.maintenances[0].scheduledEnd == "")
        #expect(result.maintenances[1].scheduledStart == "2024-05-14T10:00:00.000Z")
        #expect(result.maintenances[1].scheduledEnd == "2024-05-14T10:00:00.000Z")  // scheduled_for
        #expect(result.maintenances[1].shortlink == "")
        #expect(result.isOperational)  // maintenances never touch the status
    }

    @Test(
        "Rendered labels: names cut at 100 and components at 150 code points, milliseconds stripped before Z or an offset"
    )
    func renderedLabels() throws {
        let longName = String(repeating: "é", count: 99) + "👍🏽tail"
        var active = incident("i1", impact: .major, name: longName)
        active.startedAt = "2022-02-15T13:14:17.737-08:00"
        active.components = (1...30).map { component("Component \($0)") }
        var odd = incident("i2", impact: .minor)
        odd.startedAt = "2024-05-14T10:25:10.123456Z"
        var maintenance = incident("m1", impact: .maintenance, status: .inProgress)
        maintenance.scheduledFor = "2024-05-14T10:00:00.000+02:00"
        maintenance.scheduledUntil = "2024-05-14T12:00:00.999Z"
        let summary = StatuspageSummary(incidents: [active, odd], scheduledMaintenances: [maintenance])
        let service = StatuspageService(key: "k", name: "S", url: "\(Self.base)/api/v2/summary.json")
        let bytes = StatuspageExporter.renderOnce([
            StatuspageObservation(service: service, probe: .success(summary, responseTimeSeconds: 0.1))
        ])
        let exposition = try Exposition(String(decoding: bytes, as: UTF8.self))
        let incidents = exposition.samples(named: "statuspage_incident_info")
        let first = try #require(incidents.first { $0.labels["incident_id"] == "i1" })
        // 99 "é" and the thumbs-up: 100 code points; the skin tone modifier is the 101st.
        #expect(first.labels["incident_name"] == String(repeating: "é", count: 99) + "👍")
        #expect(first.labels["incident_name"]?.unicodeScalars.count == 100)
        #expect(first.labels["affected_components"]?.unicodeScalars.count == 150)
        #expect(first.labels["affected_components"]?.hasPrefix("Component 1, Component 2, ") == true)
        #expect(first.labels["started_at"] == "2022-02-15T13:14:17-08:00")
        let second = try #require(incidents.first { $0.labels["incident_id"] == "i2" })
        #expect(second.labels["started_at"] == "2024-05-14T10:25:10.123456Z")  // not three digits: kept
        #expect(second.labels["shortlink"] == "https://status.example.com/incidents/i2")
        let window = try #require(exposition.samples(named: "statuspage_maintenance_info").first)
        #expect(window.labels["scheduled_start"] == "2024-05-14T10:00:00+02:00")
        #expect(window.labels["scheduled_end"] == "2024-05-14T12:00:00Z")
        #expect(window.labels["affected_components"] == "")
        #expect(window.value == 1)
    }

    @Test("Two components with one name make one series: last value, first place (prometheus_client)")
    func duplicateComponentNames() throws {
        let summary = StatuspageSummary(
            components: [component("US East"), component("API", .majorOutage), component("US East", .partialOutage)],
            status: StatuspageStatus(indicator: .major)
        )
        let service = StatuspageService(key: "k", name: "S", url: Self.base)
        let bytes = StatuspageExporter.renderOnce([
            StatuspageObservation(service: service, probe: .success(summary, responseTimeSeconds: 0))
        ])
        let components = try Exposition(String(decoding: bytes, as: UTF8.self)).samples(
            named: "statuspage_component_status"
        )
        #expect(components.map { $0.labels["component_name"] } == ["US East", "API"])
        #expect(components.map(\.value) == [0, 0])
    }
}
