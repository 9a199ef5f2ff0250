import BetterStack
import PrometheusExposition

/// The `betterstack_*` families: Prometheus conventions (base units, `_seconds`, `_ratio`,
/// `_timestamp_seconds`, `_info` with the descriptive labels, state sets for enums). Series are
/// keyed by `monitor_id` / `heartbeat_id` only, so a rename does not start a new series; join
/// the names from the `_info` families (`* on(monitor_id) group_left(name) betterstack_monitor_info`).
enum BetterStackFamilies {
    /// Monitor states written as a state set, in this order; an unknown upstream state is added.
    static let monitorStates = ["up", "down", "validating", "paused", "pending", "maintenance"]
    static let heartbeatStates = ["up", "down", "paused", "pending"]

    static func write(_ reading: BetterStackReading, into writer: inout PrometheusTextWriter) {
        writeMonitors(reading, into: &writer)
        writeHeartbeats(reading, into: &writer)
        writeStatusPages(reading, into: &writer)
    }

    /// Aggregate states of a Better Stack status page, written as a state set in this order.
    static let statusPageStates = ["operational", "degraded", "downtime", "maintenance"]

    /// The public address of a status page: its custom domain, else its Better Stack subdomain.
    static func publicURL(_ page: StatusPage) -> String {
        if let domain = page.customDomain, !domain.isEmpty { return "https://\(domain)" }
        if let subdomain = page.subdomain, !subdomain.isEmpty { return "https://\(subdomain).betteruptime.com" }
        return ""
    }

    private static func writeStatusPages(_ reading: BetterStackReading, into writer: inout PrometheusTextWriter) {
        let pages = reading.statusPages ?? []

        writer.family(
            "betterstack_status_page_info",
            help: "Better Stack status page metadata (always 1): company name and public URL",
            type: .gauge
        )
        for page in pages {
            writer.sample(
                labels: [("status_page_id", page.id), ("name", page.companyName ?? ""), ("url", publicURL(page))],
                value: 1
            )
        }

        writer.gauge(
            "betterstack_status_page_up",
            help: "Whether the status page shows everything operational (1 when its aggregate state is operational, else 0)",
            pages, label: "status_page_id", id: \.id
        ) { page in page.aggregateState == "operational" ? 1 : 0 }

        writer.stateSet(
            "betterstack_status_page_status",
            help: "Status page aggregate state as a state set: 1 for the current state, 0 for the others",
            pages, label: "status_page_id", id: \.id, states: statusPageStates
        ) { page in page.aggregateState ?? "" }

        writer.family(
            "betterstack_status_page_resource_info",
            help: "A resource shown on a status page (always 1): public name, resource type and the monitor or heartbeat id",
            type: .gauge
        )
        for page in pages {
            for resource in reading.statusPageResources[page.id] ?? [] {
                writer.sample(
                    labels: [
                        ("status_page_id", page.id), ("resource_id", resource.id), ("name", resource.publicName ?? ""),
                        ("type", resource.resourceType ?? ""), ("target_id", resource.resourceID ?? ""),
                    ],
                    value: 1
                )
            }
        }

        writer.family(
            "betterstack_status_page_resource_up",
            help: "Whether a status page resource is shown operational (1 when its status is operational, else 0)",
            type: .gauge
        )
        for page in pages {
            for resource in reading.statusPageResources[page.id] ?? [] where resource.status != nil {
                writer.sample(
                    labels: [("status_page_id", page.id), ("resource_id", resource.id)],
                    value: resource.status == "operational" ? 1 : 0
                )
            }
        }

        writer.family(
            "betterstack_status_page_resource_availability_ratio",
            help: "Availability (0 to 1) a status page shows for a resource over the page's history",
            type: .gauge
        )
        for page in pages {
            for resource in reading.statusPageResources[page.id] ?? [] {
                if let availability = resource.availability {
                    writer.sample(
                        labels: [("status_page_id", page.id), ("resource_id", resource.id)],
                        value: min(1, max(0, availability))
                    )
                }
            }
        }
    }

    private static func writeMonitors(_ reading: BetterStackReading, into writer: inout PrometheusTextWriter) {
        let monitors = reading.monitors ?? []

        writer.family(
            "betterstack_monitor_info",
            help: "Better Stack monitor metadata (always 1): name, checked URL and monitor type",
            type: .gauge
        )
        for monitor in monitors {
            writer.sample(
                labels: [
                    ("monitor_id", monitor.id), ("name", monitor.pronounceableName ?? ""), ("url", monitor.url ?? ""),
                    ("type", monitor.monitorType ?? ""),
                ],
                value: 1
            )
        }

        writer.gauge(
            "betterstack_monitor_up",
            help: "Whether the monitor's checks pass (1 when its status is up, else 0)",
            monitors, label: "monitor_id", id: \.id
        ) { monitor in monitor.status == .up ? 1 : 0 }

        writer.stateSet(
            "betterstack_monitor_status",
            help: "Monitor status as a state set: 1 for the current state, 0 for the others",
            monitors, label: "monitor_id", id: \.id, states: monitorStates
        ) { monitor in monitor.status.rawValue }

        writer.family(
            "betterstack_monitor_response_time_seconds",
            help: "Response time of the monitor's latest check from each region, in seconds",
            type: .gauge
        )
        for monitor in monitors {
            for latest in reading.latestResponseTimes[monitor.id]?.regions ?? [] {
                writer.sample(labels: [("monitor_id", monitor.id), ("region", latest.region)], value: latest.seconds)
            }
        }

        writer.gauge(
            "betterstack_monitor_availability_ratio",
            help: "Availability (0 to 1) over the configured window of finished UTC days, from Better Stack's SLA",
            monitors, label: "monitor_id", id: \.id
        ) { monitor in reading.availability[monitor.id] }

        writer.gauge(
            "betterstack_monitor_check_frequency_seconds",
            help: "Seconds between two checks of the monitor",
            monitors, label: "monitor_id", id: \.id
        ) { monitor in monitor.checkFrequency.map { frequency in Double(frequency) } }

        writer.gauge(
            "betterstack_monitor_last_check_timestamp_seconds",
            help: "Unix time of the monitor's last check",
            monitors, label: "monitor_id", id: \.id
        ) { monitor in monitor.lastCheckedAt.map { at in Double(at) / 1000 } }

        writeOpenIncidents(
            "betterstack_monitor_open_incidents",
            help: "Incidents of the monitor not resolved yet",
            reading.openIncidents, of: monitors.map(\.id), label: "monitor_id", into: &writer
        ) { incident in incident.monitorID }
    }

    private static func writeHeartbeats(_ reading: BetterStackReading, into writer: inout PrometheusTextWriter) {
        let heartbeats = reading.heartbeats ?? []

        // Never the ping URL: whoever knows it can report the job healthy.
        writer.family("betterstack_heartbeat_info", help: "Better Stack heartbeat metadata (always 1)", type: .gauge)
        for heartbeat in heartbeats {
            writer.sample(labels: [("heartbeat_id", heartbeat.id), ("name", heartbeat.name ?? "")], value: 1)
        }

        writer.gauge(
            "betterstack_heartbeat_up",
            help: "Whether the heartbeat's pings arrive in time (1 when its status is up, else 0)",
            heartbeats, label: "heartbeat_id", id: \.id
        ) { heartbeat in heartbeat.status == .up ? 1 : 0 }

        writer.stateSet(
            "betterstack_heartbeat_status",
            help: "Heartbeat status as a state set: 1 for the current state, 0 for the others",
            heartbeats, label: "heartbeat_id", id: \.id, states: heartbeatStates
        ) { heartbeat in heartbeat.status.rawValue }

        writer.gauge(
            "betterstack_heartbeat_availability_ratio",
            help: "Availability (0 to 1) over the configured window of finished UTC days, from Better Stack's heartbeat availability",
            heartbeats, label: "heartbeat_id", id: \.id
        ) { heartbeat in reading.heartbeatAvailability[heartbeat.id] }

        writer.gauge(
            "betterstack_heartbeat_period_seconds",
            help: "Expected seconds between two pings of the heartbeat",
            heartbeats, label: "heartbeat_id", id: \.id
        ) { heartbeat in heartbeat.period.map { period in Double(period) } }

        writer.gauge(
            "betterstack_heartbeat_grace_seconds",
            help: "Seconds of tolerance after the period before the heartbeat is down",
            heartbeats, label: "heartbeat_id", id: \.id
        ) { heartbeat in heartbeat.grace.map { grace in Double(grace) } }

        writeOpenIncidents(
            "betterstack_heartbeat_open_incidents",
            help: "Incidents of the heartbeat not resolved yet",
            reading.openIncidents, of: heartbeats.map(\.id), label: "heartbeat_id", into: &writer
        ) { incident in incident.heartbeatID }
    }

    /// Per id, the open incidents that name it (a family without samples when the incidents could
    /// not be read: a missing series, not a false zero).
    private static func writeOpenIncidents(
        _ name: String,
        help: String,
        _ incidents: [Incident]?,
        of ids: [String],
        label: String,
        into writer: inout PrometheusTextWriter,
        owner: (Incident) -> String?
    ) {
        writer.family(name, help: help, type: .gauge)
        guard let incidents else { return }
        var open: [String: Int] = [:]
        for incident in incidents where incident.isOpen {
            if let id = owner(incident) { open[id, default: 0] += 1 }
        }
        for id in ids {
            writer.sample(labels: [(label, id)], value: Double(open[id] ?? 0))
        }
    }
}
