/// One fake status page: its parts as ordered JSON, from which every v2 endpoint is cut, plus
/// optional verbatim payloads (the real captures) that take precedence.
struct StatuspageSite: Sendable {
    /// The v2 endpoints the sandbox serves.
    enum Endpoint: String, Sendable, CaseIterable {
        case summary = "summary.json"
        case status = "status.json"
        case components = "components.json"
        case incidents = "incidents.json"
        case unresolvedIncidents = "incidents/unresolved.json"
        case scheduledMaintenances = "scheduled-maintenances.json"
        case upcomingMaintenances = "scheduled-maintenances/upcoming.json"
        case activeMaintenances = "scheduled-maintenances/active.json"
    }

    let slug: String
    let page: JSON
    let components: [JSON]
    /// Every incident the page shows in `incidents.json`, newest first (resolved ones included).
    let incidents: [JSON]
    /// Every scheduled maintenance, newest first (completed ones included).
    let maintenances: [JSON]
    /// `{"indicator": …, "description": …}`.
    let status: JSON
    /// Payloads served byte for byte instead of being cut from the parts.
    var verbatim: [Endpoint: String] = [:]

    /// The endpoint's body.
    func payload(_ endpoint: Endpoint) -> [UInt8] {
        if let text = verbatim[endpoint] { return Array(text.utf8) }
        let body: [(String, JSON)]
        switch endpoint {
        case .summary:
            body = [
                ("page", page), ("components", .array(components)), ("incidents", .array(unresolvedIncidents)),
                ("scheduled_maintenances", .array(maintenances(["scheduled", "in_progress", "verifying"]))),
                ("status", status),
            ]
        case .status: body = [("page", page), ("status", status)]
        case .components: body = [("page", page), ("components", .array(components))]
        case .incidents: body = [("page", page), ("incidents", .array(Array(incidents.prefix(50))))]
        case .unresolvedIncidents: body = [("page", page), ("incidents", .array(unresolvedIncidents))]
        case .scheduledMaintenances:
            body = [("page", page), ("scheduled_maintenances", .array(Array(maintenances.prefix(50))))]
        case .upcomingMaintenances:
            body = [("page", page), ("scheduled_maintenances", .array(maintenances(["scheduled"])))]
        case .activeMaintenances:
            body = [("page", page), ("scheduled_maintenances", .array(maintenances(["in_progress", "verifying"])))]
        }
        return JSON.object(body).bytes
    }

    /// `investigating`, `identified` and `monitoring`, as upstream's `unresolved.json` defines it.
    private var unresolvedIncidents: [JSON] {
        incidents.filter { ["investigating", "identified", "monitoring"].contains($0["status"]?.stringValue ?? "") }
    }

    private func maintenances(_ statuses: Set<String>) -> [JSON] {
        maintenances.filter { statuses.contains($0["status"]?.stringValue ?? "") }
    }
}

extension StatuspageSite {
    /// The real Discord captures, each endpoint verbatim. Upcoming/active maintenances are cut
    /// from the captured `scheduled-maintenances.json` (its only maintenance is completed).
    static func discord() -> StatuspageSite {
        let summary = (try? JSONParser.parse(Array(StatuspageFixturePayloads.discordSummary.utf8))) ?? .object([])
        let maintenances =
            (try? JSONParser.parse(Array(StatuspageFixturePayloads.discordScheduledMaintenances.utf8))) ?? .object([])
        var site = StatuspageSite(
            slug: "discord",
            page: summary["page"] ?? .object([]),
            components: summary["components"]?.arrayValue ?? [],
            incidents: [],
            maintenances: maintenances["scheduled_maintenances"]?.arrayValue ?? [],
            status: summary["status"] ?? .object([])
        )
        site.verbatim = [
            .summary: StatuspageFixturePayloads.discordSummary,
            .status: StatuspageFixturePayloads.discordStatus,
            .components: StatuspageFixturePayloads.discordComponents,
            .incidents: StatuspageFixturePayloads.discordIncidents,
            .unresolvedIncidents: StatuspageFixturePayloads.discordUnresolvedIncidents,
            .scheduledMaintenances: StatuspageFixturePayloads.discordScheduledMaintenances,
        ]
        return site
    }

    /// The synthetic every-field page: `summary.json` verbatim, the other endpoints cut from it.
    static func incidentExample() -> StatuspageSite {
        let summary =
            (try? JSONParser.parse(Array(StatuspageFixturePayloads.incidentExampleSummary.utf8))) ?? .object([])
        var site = StatuspageSite(
            slug: "incident-example",
            page: summary["page"] ?? .object([]),
            components: summary["components"]?.arrayValue ?? [],
            incidents: summary["incidents"]?.arrayValue ?? [],
            maintenances: summary["scheduled_maintenances"]?.arrayValue ?? [],
            status: summary["status"] ?? .object([])
        )
        site.verbatim = [.summary: StatuspageFixturePayloads.incidentExampleSummary]
        return site
    }
}
