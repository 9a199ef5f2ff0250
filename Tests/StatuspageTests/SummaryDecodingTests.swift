@testable import Statuspage
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

@Suite("Statuspage payload decoding")
struct SummaryDecodingTests {
    @Test(
        "Every Statuspage fixture decodes as its endpoint's type and, leniently, as a summary",
        arguments: Fixtures.statuspageFiles
    )
    func everyFixtureDecodes(file: String) throws {
        let bytes = try Fixtures.bytes("statuspage/\(file)")
        let summary = try StatuspageSummary(json: bytes)
        #expect(summary.page?.id != nil)
        switch file {
        case let name where name.hasSuffix("-status.json"):
            let status = try StatuspageStatusResponse(json: bytes)
            #expect(
                status.status
                    == StatuspageStatus(indicator: StatuspageStatusIndicator.none, description: "All Systems Operational")
            )
        case let name where name.hasSuffix("-components.json"):
            let components = try StatuspageComponentsResponse(json: bytes)
            #expect(components.components.map(\.name) == ["API"])
            #expect(components.components.first?.description?.hasPrefix("The API is responsible") == true)
        case let name where name.hasSuffix("-incidents.json"):
            let incidents = try StatuspageIncidentsResponse(json: bytes).incidents
            #expect(incidents.count == 1)
            #expect(incidents[0].status == .resolved)
            #expect(
                incidents[0].incidentUpdates.map(\.status) == [.resolved, .monitoring, .investigating, .investigating]
            )
            #expect(incidents[0].incidentUpdates[0].affectedComponents?.first?.newStatus == .operational)
        case let name where name.hasSuffix("-unresolved.json"):
            #expect(try StatuspageIncidentsResponse(json: bytes).incidents.isEmpty)
        case let name where name.hasSuffix("-scheduled-maintenances.json"):
            let maintenance = try #require(
                try StatuspageScheduledMaintenancesResponse(json: bytes).scheduledMaintenances.first
            )
            #expect(maintenance.name == "(ﾉ◕ヮ◕)ﾉ*:･ﾟ✧ Server Juice")
            #expect(maintenance.status == .completed)
            #expect(maintenance.scheduledFor == "2015-09-22T01:00:00.000-07:00")
            #expect(maintenance.incidentUpdates.last?.body?.contains("\r\n") == true)
            #expect(maintenance.incidentUpdates.allSatisfy { $0.affectedComponents == nil })
        default:
            break
        }
    }

    @Test("Discord summary: page, one grouped component, nothing open")
    func discordSummary() throws {
        let summary = try Fixtures.summary("discord-2022-02-summary.json")
        #expect(
            summary.page
                == StatuspagePage(
                    id: "srhpyqt94yxb",
                    name: "Discord",
                    url: "https://discordstatus.com",
                    timeZone: "America/Tijuana",
                    updatedAt: "2022-02-15T13:37:37.407-08:00"
                )
        )
        #expect(summary.components.count == 1)
        let korea = summary.components[0]
        #expect(korea.name == "South Korea")
        #expect(korea.status == .operational)
        #expect(korea.groupID == "jk03xttfcz9b")
        #expect(korea.position == 9)
        #expect(korea.description == nil)
        #expect(korea.group == false)
        #expect(summary.incidents.isEmpty)
        #expect(summary.scheduledMaintenances.isEmpty)
        #expect(summary.status?.indicator == StatuspageStatusIndicator.none)
    }

    @Test("Every-field summary: group with children, incident with updates, maintenance window")
    func incidentExample() throws {
        let summary = try Fixtures.summary("summary-incident-example.json")
        #expect(summary.components.map(\.name) == ["API", "Regions", "EU West", "US East"])
        let regions = summary.components[1]
        #expect(regions.group == true)
        #expect(regions.components == ["0cwvg0jp5cbg", "fc8y53dfg85y"])
        #expect(summary.components[3].status == .underMaintenance)
        #expect(summary.components[0].startDate == "2019-03-01")

        let incident = try #require(summary.incidents.first)
        #expect(incident.impact == .major)
        #expect(incident.status == .identified)
        #expect(incident.resolvedAt == nil)
        #expect(incident.shortlink == "https://stspg.io/abcd1234")
        #expect(incident.incidentUpdates.count == 2)
        #expect(
            incident.incidentUpdates[0].affectedComponents == [
                StatuspageAffectedComponent(
                    code: "b13yz5g2cw10",
                    name: "API",
                    oldStatus: .degradedPerformance,
                    newStatus: .partialOutage
                )
            ]
        )
        #expect(incident.incidentUpdates[1].affectedComponents == nil)
        #expect(incident.incidentUpdates[0].deliverNotifications == true)
        #expect(incident.components.map(\.id) == ["b13yz5g2cw10"])

        let maintenance = try #require(summary.scheduledMaintenances.first)
        #expect(maintenance.status == .inProgress)
        #expect(maintenance.impact == .maintenance)
        #expect(maintenance.scheduledFor == "2024-05-14T10:00:00.000Z")
        #expect(maintenance.scheduledUntil == "2024-05-14T12:00:00.000Z")
        #expect(summary.status == StatuspageStatus(indicator: .major, description: "Partial System Outage"))
    }

    @Test("Lenient: unknown keys ignored, nulls and wrong types become nil, non-object elements skipped")
    func lenient() throws {
        let json = """
            {"page": {"id": 42, "name": "X", "brand_new": {"a": [1, 2]}},
             "components": [{"name": "A", "status": "operational", "position": "1", "showcase": null},
                            "not a component", 7, null,
                            {"name": "B", "status": "on_fire", "components": ["c1", 2, "c3"]}],
             "incidents": [{"id": "i1", "incident_updates": null, "components": {"oops": true}}],
             "scheduled_maintenances": null,
             "status": {"indicator": 3, "description": "weird"},
             "extra": true}
            """
        let summary = try StatuspageSummary(json: Array(json.utf8))
        #expect(summary.page?.id == nil)
        #expect(summary.page?.name == "X")
        #expect(summary.components.map(\.name) == ["A", "B"])
        #expect(summary.components[0].position == nil)
        #expect(summary.components[0].showcase == nil)
        #expect(summary.components[1].status == StatuspageComponentStatus(rawValue: "on_fire"))
        #expect(summary.components[1].components == ["c1", "c3"])
        #expect(summary.incidents.first?.incidentUpdates == [])
        #expect(summary.incidents.first?.components == [])
        #expect(summary.scheduledMaintenances.isEmpty)
        #expect(summary.status?.indicator == nil)
        #expect(summary.status?.description == "weird")

        let empty = try StatuspageSummary(json: Array("{}".utf8))
        #expect(empty == StatuspageSummary())
    }

    @Test(
        "A body that is not a JSON object fails to decode",
        arguments: ["", "[]", "<html>502</html>", "{\"page\":", "null"]
    )
    func notASummary(body: String) {
        #expect(throws: (any Error).self) { try StatuspageSummary(json: Array(body.utf8)) }
    }

    @Test("Models round-trip through their Codable encoding")
    func roundTrip() throws {
        let summary = try Fixtures.summary("summary-incident-example.json")
        let encoded = Array(try JSONEncoder().encode(summary))
        #expect(try StatuspageSummary(json: encoded) == summary)
    }
}
