/// A synthetic status page and the monitors or heartbeats shown on it.
///
/// Page 500001 "Example Inc" shows the first (up to) eight monitors; page 500002
/// "Example Inc internal" shows the first (up to) four heartbeats.
struct StatusPage: Sendable {
    /// One resource (widget) on the page.
    struct Resource: Sendable {
        let id: Int
        let sectionID: Int
        let resourceID: Int
        let resourceType: String
        let publicName: String
        let position: Int
        let status: String
        /// Fraction (0…1), five decimals, over the page's history window.
        let availability: Double
        /// Per day, oldest first: day, status, downtime seconds.
        let history: [(day: String, status: String, downtime: Int)]
    }

    static let firstID = 500_001
    /// Days of history a page shows; also the window of resource availability.
    static let historyDays = 90

    let id: Int
    let companyName: String
    let subdomain: String
    let timezone: String
    let createdAt: Int64
    let updatedAt: Int64
    let resources: [Resource]

    /// `downtime` if anything shown is down now, `degraded` if something is recovering, else `operational`.
    var aggregateState: String {
        if resources.contains(where: { $0.status == "downtime" }) { return "downtime" }
        if resources.contains(where: { $0.status == "degraded" }) { return "degraded" }
        return "operational"
    }

    /// The two pages of a dataset.
    static func pages(monitors: [Monitor], heartbeats: [Heartbeat], incidents: [Incident], now: Int64) -> [StatusPage] {
        let day = Timestamp.dayMilliseconds
        let today = now - now % day
        let windowStart = today - Int64(historyDays - 1) * day

        func resource(
            id: Int,
            section: Int,
            resourceID: Int,
            type: String,
            name: String,
            position: Int,
            createdAt: Int64,
            currentStatus: String,
            incidents: [Incident]
        ) -> Resource {
            var history: [(day: String, status: String, downtime: Int)] = []
            var dayStart = max(windowStart, createdAt - createdAt % day)
            while dayStart <= today {
                let dayEnd = min(dayStart + day, now)
                let summary = Availability(incidents: incidents, start: dayStart, end: dayEnd, now: now)
                history.append(
                    (
                        Timestamp.day(dayStart), summary.totalDowntime > 0 ? "downtime" : "operational",
                        summary.totalDowntime
                    )
                )
                dayStart += day
            }
            let start = max(windowStart, createdAt)
            let downtime = incidents.reduce(Int64(0)) { $0 + $1.downtime(from: start, to: now, now: now) }
            let fraction = now > start ? 1 - Double(downtime) / Double(now - start) : 1
            let status: String =
                switch currentStatus {
                case "down": "downtime"
                case "validating": "degraded"
                case "maintenance": "maintenance"
                default: "operational"
                }
            return Resource(
                id: id,
                sectionID: section,
                resourceID: resourceID,
                resourceType: type,
                publicName: name,
                position: position,
                status: status,
                availability: (fraction * 100_000).rounded() / 100_000,
                history: history
            )
        }

        func incidentsOf(monitor: Int? = nil, heartbeat: Int? = nil) -> [Incident] {
            incidents.filter {
                (monitor != nil && $0.monitorID == monitor) || (heartbeat != nil && $0.heartbeatID == heartbeat)
            }
        }

        let publicResources = monitors.prefix(8).enumerated().map { position, monitor in
            resource(
                id: 600_001 + position,
                section: 700_001,
                resourceID: monitor.id,
                type: "Monitor",
                name: monitor.name,
                position: position,
                createdAt: monitor.createdAt,
                currentStatus: monitor.status,
                incidents: incidentsOf(monitor: monitor.id)
            )
        }
        let internalResources = heartbeats.prefix(4).enumerated().map { position, heartbeat in
            resource(
                id: 600_101 + position,
                section: 700_002,
                resourceID: heartbeat.id,
                type: "Heartbeat",
                name: heartbeat.name,
                position: position,
                createdAt: heartbeat.createdAt,
                currentStatus: heartbeat.status,
                incidents: incidentsOf(heartbeat: heartbeat.id)
            )
        }
        return [
            StatusPage(
                id: firstID,
                companyName: "Example Inc",
                subdomain: "example-inc",
                timezone: "UTC",
                createdAt: now - 400 * day,
                updatedAt: now - 3 * day,
                resources: publicResources
            ),
            StatusPage(
                id: firstID + 1,
                companyName: "Example Inc internal",
                subdomain: "example-inc-internal",
                timezone: "UTC",
                createdAt: now - 300 * day,
                updatedAt: now - 10 * day,
                resources: internalResources
            ),
        ]
    }

    /// The JSON:API resource.
    var json: JSON {
        let attributes: [(String, JSON)] = [
            ("company_name", .string(companyName)),
            ("company_url", .string("https://example.com")),
            ("contact_url", .null),
            ("logo_url", .null),
            ("dark_logo_url", .null),
            ("whitelabeled", .bool(false)),
            ("timezone", .string(timezone)),
            ("subdomain", .string(subdomain)),
            ("custom_domain", .null),
            ("custom_css", .null),
            ("custom_javascript", .string("")),
            ("google_analytics_id", .null),
            ("min_incident_length", .int(120)),
            ("announcement", .null),
            ("announcement_embed_visible", .bool(false)),
            ("announcement_embed_css", .string("")),
            ("announcement_embed_link", .string("")),
            ("automatic_reports", .bool(false)),
            ("status_page_group_id", .null),
            ("subscribable", .bool(true)),
            ("hide_from_search_engines", .bool(false)),
            ("password_enabled", .bool(false)),
            ("ip_allowlist", .array([])),
            ("history", .int(Self.historyDays)),
            ("aggregate_state", .string(aggregateState)),
            ("design", .string("v2")),
            ("navigation_links", .array([])),
            ("theme", .string("light")),
            ("layout", .string("vertical")),
            ("created_at", .string(Timestamp.iso8601(createdAt))),
            ("updated_at", .string(Timestamp.iso8601(updatedAt))),
        ]
        return .object([
            ("id", .string(String(id))), ("type", .string("status_page")), ("attributes", .object(attributes)),
        ])
    }
}

extension StatusPage.Resource {
    /// The JSON:API resource.
    var json: JSON {
        let history: [JSON] = self.history.map { entry in
            .object([
                ("day", .string(entry.day)),
                ("status", .string(entry.status)),
                ("downtime_duration", .int(entry.downtime)),
                ("maintenance_duration", .int(0)),
            ])
        }
        let attributes: [(String, JSON)] = [
            ("status_page_section_id", .int(sectionID)),
            ("resource_id", .int(resourceID)),
            ("resource_type", .string(resourceType)),
            ("history", .bool(true)),
            ("widget_type", .string("history")),
            ("public_name", .string(publicName)),
            ("explanation", .string("")),
            ("position", .int(position)),
            // Upstream's example page marks resources down by escalation policy metadata; kept as is.
            ("mark_as_down_for", .string("incident_matching_metadata")),
            (
                "mark_as_down_metadata_rule",
                .object([
                    ("key", .string("Escalation policy")),
                    (
                        "values",
                        .array([
                            .object([
                                ("type", .string("Policy")), ("item_id", .string("13245")),
                                ("name", .string("Primary Policy")),
                            ])
                        ])
                    ),
                ])
            ),
            ("mark_as_degraded_for", .string("any_incident")),
            ("availability", .double(availability)),
            ("status", .string(status)),
            ("status_history", .array(history)),
        ]
        return .object([
            ("id", .string(String(id))), ("type", .string("status_page_resource")), ("attributes", .object(attributes)),
        ])
    }
}
