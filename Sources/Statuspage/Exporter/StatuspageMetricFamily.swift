/// The nine gauge families of statuspage-prometheus-exporter 2.6.0, in its registration order
/// (which is the order they appear in its output), with its names, HELP texts and labels.
public enum StatuspageMetricFamily: Int, Sendable, Hashable, CaseIterable {
    case serviceStatus
    case responseTimeSeconds
    case incidentInfo
    case maintenanceInfo
    case componentStatus
    case componentTimestamp
    case probeCheck
    case applicationTimestamp
    case uptimePercentage

    /// The metric name.
    public var name: String {
        switch self {
        case .serviceStatus: "statuspage_service_status"
        case .responseTimeSeconds: "statuspage_response_time_seconds"
        case .incidentInfo: "statuspage_incident_info"
        case .maintenanceInfo: "statuspage_maintenance_info"
        case .componentStatus: "statuspage_component_status"
        case .componentTimestamp: "statuspage_component_timestamp"
        case .probeCheck: "statuspage_probe_check"
        case .applicationTimestamp: "statuspage_application_timestamp"
        case .uptimePercentage: "statuspage_uptime_percentage"
        }
    }

    /// The HELP text, word for word.
    public var help: String {
        switch self {
        case .serviceStatus: "Status of monitored services (1=operational, 0=incident/down)"
        case .responseTimeSeconds: "Response time for status page API endpoints"
        case .incidentInfo: "Active incident metadata with ID, name, impact, and link"
        case .maintenanceInfo: "Active maintenance event metadata with ID, name, schedule, and link"
        case .componentStatus:
            "Status of individual service components (1=operational, 0=degraded/down/unknown)"
        case .componentTimestamp: "Last update timestamp of component in Unix epoch milliseconds"
        case .probeCheck:
            "Whether all queries on the application were successful (1=all successful, 0=at least one failed)"
        case .applicationTimestamp:
            "Timestamp of last update of overall application status in Unix epoch milliseconds"
        case .uptimePercentage:
            "Percentage of monitoring runs with operational status over the given rolling window"
        }
    }

    /// Every family is a gauge (the `_info` ones too: 0.0.4 has no info type).
    public var type: String { "gauge" }

    /// Label names in the order the exporter declares them.
    public var labelNames: [String] {
        switch self {
        case .serviceStatus, .responseTimeSeconds, .probeCheck, .applicationTimestamp: ["service_name"]
        case .incidentInfo:
            [
                "service_name", "incident_id", "incident_name", "impact", "shortlink", "started_at",
                "affected_components",
            ]
        case .maintenanceInfo:
            [
                "service_name", "maintenance_id", "maintenance_name", "scheduled_start", "scheduled_end",
                "shortlink", "affected_components",
            ]
        case .componentStatus, .componentTimestamp: ["service_name", "component_name"]
        case .uptimePercentage: ["service_name", "window"]
        }
    }

    /// Whether the exporter keeps this family's series from run to run (it clears only the other
    /// families before each run): resolved incidents, ended maintenances and removed components
    /// stay at 0 until the process ends.
    var keepsSeriesAcrossRuns: Bool {
        switch self {
        case .serviceStatus, .incidentInfo, .maintenanceInfo, .componentStatus: true
        case .responseTimeSeconds, .componentTimestamp, .probeCheck, .applicationTimestamp, .uptimePercentage: false
        }
    }
}
