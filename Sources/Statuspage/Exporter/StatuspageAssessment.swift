/// What statuspage-prometheus-exporter 2.6.0 makes of one successfully fetched summary
/// (its `check_status_page_service`): the service status, the active incidents and
/// maintenances with their label material, and the components.
///
/// The rules, from the exporter's source (`mcarvin8/statuspage-prometheus-exporter` v2.6.0 `service_checker.py`):
///
/// - An incident is **active** when its `status` (case-insensitive) is not `resolved`,
///   `completed` or `postmortem` and it has no `resolved_at`. Duplicate ids count once (the
///   first). Incidents named `_system_metadata:*` get no series and do not raise the severity,
///   but still count as "an active incident" for the component rule below.
/// - A maintenance is **active** when its `status` is not `completed` or `cancelled` and it has
///   no `resolved_at`, so `scheduled` ones count. Maintenances do not touch the status.
/// - The **effective indicator** is `status.indicator` (`unknown` when absent), replaced by the
///   highest impact among active incidents (critical > major > minor; `none` and unknown
///   impacts replace nothing), and forced to `minor` when some component is not `operational`
///   while no incident is active.
/// - The service is **operational** (`statuspage_service_status` 1) only when the effective
///   indicator is `none`; `minor`, `major`, `critical`, `maintenance` and anything else give 0.
/// - A component is 1 only when `operational`; groups are components like any other.
///
/// Absent fields take the exporter's defaults (`Unnamed incident`, `Unnamed maintenance`,
/// `Unknown` component, impact `unknown`, id `unknown`). A `null` counts as absent here, where
/// the Python code would sometimes print `None`; real pages send neither.
public struct StatuspageAssessment: Hashable, Sendable, Codable {
    /// An active incident's label material, before truncation and millisecond stripping.
    public struct Incident: Hashable, Sendable, Codable {
        public var id: String
        public var name: String
        public var impact: String
        /// The incident's shortlink, or `<page base URL>/incidents/<id>` when it has none.
        public var shortlink: String
        /// `started_at`, else `created_at`, else empty; as the page wrote it.
        public var startedAt: String
        /// Names of the incident's `components`, in order.
        public var affectedComponents: [String]

    }

    /// An active maintenance's label material, before truncation and millisecond stripping.
    public struct Maintenance: Hashable, Sendable, Codable {
        public var id: String
        public var name: String
        /// `scheduled_for`, else `created_at`, else empty.
        public var scheduledStart: String
        /// `scheduled_until`, else `scheduled_for`, else empty.
        public var scheduledEnd: String
        /// As sent (no shortlink is made up for maintenances), or empty.
        public var shortlink: String
        public var affectedComponents: [String]

    }

    /// One component as the exporter sees it.
    public struct Component: Hashable, Sendable, Codable {
        public var name: String
        public var isOperational: Bool

    }

    /// The effective indicator, lowercased (`none`, `minor`, … or whatever the page sent).
    public var indicator: String
    /// `statuspage_service_status`: the effective indicator is `none`.
    public var isOperational: Bool
    /// The exporter README's three values (``StatuspageStatusValues/threeState``), telling
    /// maintenance from incidents:
    ///
    /// - `-1` incident or down: an active incident with impact `minor`, `major` or `critical`;
    ///   or a component that is neither `operational` nor `under_maintenance`; or a page
    ///   indicator other than `none` and `maintenance` (an unknown one included).
    /// - `0` maintenance: none of that, and the page says `maintenance`, a component is
    ///   `under_maintenance`, or a maintenance is `in_progress` or `verifying`.
    /// - `1` operational: otherwise (indicator `none`, every component operational, no
    ///   maintenance under way; a merely scheduled one does not count).
    public var threeStateStatus: Int
    public var incidents: [Incident]
    public var maintenances: [Maintenance]
    /// Every component in page order, groups included.
    public var components: [Component]

    /// Applies the exporter's rules to `summary`; `pageBaseURL` completes missing shortlinks
    /// (see ``StatuspageService/pageBaseURL``).
    public init(summary: StatuspageSummary, pageBaseURL: String) {
        components = summary.components.map { component in
            Component(name: component.name ?? "Unknown", isOperational: component.status?.isOperational ?? false)
        }
        let anyComponentDown = summary.components.contains { !($0.status?.isOperational ?? false) }

        let active = summary.incidents.filter { incident in
            let status = incident.status?.rawValue.lowercased() ?? ""
            return !["resolved", "completed", "postmortem"].contains(status) && (incident.resolvedAt ?? "").isEmpty
        }
        func isSystemMetadata(_ incident: StatuspageIncident) -> Bool {
            (incident.name ?? "").hasPrefix("_system_metadata:")
        }

        var seenIncidents: Set<String> = []
        incidents = active.compactMap { incident in
            let id = incident.id ?? "unknown"
            guard seenIncidents.insert(id).inserted, !isSystemMetadata(incident) else { return nil }
            var shortlink = incident.shortlink ?? ""
            if shortlink.isEmpty, !pageBaseURL.isEmpty, id != "unknown" {
                shortlink = "\(pageBaseURL)/incidents/\(id)"
            }
            return Incident(
                id: id,
                name: incident.name ?? "Unnamed incident",
                impact: incident.impact?.rawValue ?? "unknown",
                shortlink: shortlink,
                startedAt: Self.firstNonEmpty(incident.startedAt, incident.createdAt),
                affectedComponents: incident.components.map { $0.name ?? "" }
            )
        }

        // Severity runs over every active incident (duplicates included), as the exporter's does.
        let priority = ["critical": 3, "major": 2, "minor": 1]
        var highest: (impact: String, priority: Int)?
        for incident in active where !isSystemMetadata(incident) {
            let impact = incident.impact?.rawValue.lowercased() ?? "none"
            let rank = priority[impact] ?? 0
            if rank > (highest?.priority ?? 0) { highest = (impact, rank) }
        }

        var indicator = summary.status?.indicator?.rawValue ?? "unknown"
        if let highest { indicator = highest.impact }
        if anyComponentDown, active.isEmpty { indicator = "minor" }
        self.indicator = indicator.lowercased()
        self.isOperational = self.indicator == "none"

        let pageIndicator = (summary.status?.indicator?.rawValue ?? "unknown").lowercased()
        let componentStatuses = summary.components.map { ($0.status?.rawValue ?? "").lowercased() }
        let maintenanceUnderWay = summary.scheduledMaintenances.contains { maintenance in
            ["in_progress", "verifying"].contains(maintenance.status?.rawValue.lowercased() ?? "")
                && (maintenance.resolvedAt ?? "").isEmpty
        }
        if highest != nil || componentStatuses.contains(where: { $0 != "operational" && $0 != "under_maintenance" })
            || !["none", "maintenance"].contains(pageIndicator)
        {
            threeStateStatus = -1
        } else if pageIndicator == "maintenance" || componentStatuses.contains("under_maintenance") || maintenanceUnderWay {
            threeStateStatus = 0
        } else {
            threeStateStatus = 1
        }

        var seenMaintenances: Set<String> = []
        maintenances = summary.scheduledMaintenances.compactMap { maintenance in
            let status = maintenance.status?.rawValue.lowercased() ?? ""
            let id = maintenance.id ?? "unknown"
            guard !["completed", "cancelled"].contains(status), (maintenance.resolvedAt ?? "").isEmpty,
                seenMaintenances.insert(id).inserted
            else { return nil }
            return Maintenance(
                id: id,
                name: maintenance.name ?? "Unnamed maintenance",
                scheduledStart: Self.firstNonEmpty(maintenance.scheduledFor, maintenance.createdAt),
                scheduledEnd: Self.firstNonEmpty(maintenance.scheduledUntil, maintenance.scheduledFor),
                shortlink: maintenance.shortlink ?? "",
                affectedComponents: maintenance.components.map { $0.name ?? "" }
            )
        }
    }

    /// Python's `a or b or ""`.
    private static func firstNonEmpty(_ first: String?, _ second: String?) -> String {
        if let first, !first.isEmpty { return first }
        return second ?? ""
    }

    /// Keeps the labels an incident or maintenance had when it was first seen, as the exporter
    /// does through its cache "to prevent duplicate alerts": a renamed incident keeps its
    /// series instead of starting a new one.
    func keepingLabels(of earlier: StatuspageAssessment?) -> StatuspageAssessment {
        guard let earlier else { return self }
        var copy = self
        let earlierIncidents = Dictionary(earlier.incidents.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        let earlierMaintenances = Dictionary(
            earlier.maintenances.map { ($0.id, $0) },
            uniquingKeysWith: { _, last in last }
        )
        copy.incidents = incidents.map { earlierIncidents[$0.id] ?? $0 }
        copy.maintenances = maintenances.map { earlierMaintenances[$0.id] ?? $0 }
        return copy
    }
}
