/// An incident, or a scheduled maintenance (the same object plus ``scheduledFor`` and
/// ``scheduledUntil``, with statuses `scheduled`, `in_progress`, `verifying`, `completed`).
///
/// Timestamps are kept as the page sent them (ISO 8601 with milliseconds and the page's
/// offset): the exporter-compatible labels are derived from that text, not from a parsed date.
public struct StatuspageIncident: Hashable, Sendable, Codable {
    public var id: String?
    public var name: String?
    public var status: StatuspageIncidentStatus?
    public var createdAt: String?
    public var updatedAt: String?
    public var monitoringAt: String?
    public var resolvedAt: String?
    public var impact: StatuspageIncidentImpact?
    /// `https://stspg.io/…`.
    public var shortlink: String?
    public var startedAt: String?
    public var pageID: String?
    public var incidentUpdates: [StatuspageIncidentUpdate] = []
    /// Full component objects of the components the incident affects.
    public var components: [StatuspageComponent] = []
    /// Scheduled maintenances only.
    public var scheduledFor: String?
    /// Scheduled maintenances only.
    public var scheduledUntil: String?

    enum CodingKeys: String, CodingKey {
        case id, name, status, impact, shortlink, components
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case monitoringAt = "monitoring_at"
        case resolvedAt = "resolved_at"
        case startedAt = "started_at"
        case pageID = "page_id"
        case incidentUpdates = "incident_updates"
        case scheduledFor = "scheduled_for"
        case scheduledUntil = "scheduled_until"
    }
}

extension StatuspageIncident {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = c.lenient(String.self, forKey: .id)
        name = c.lenient(String.self, forKey: .name)
        status = c.lenient(StatuspageIncidentStatus.self, forKey: .status)
        createdAt = c.lenient(String.self, forKey: .createdAt)
        updatedAt = c.lenient(String.self, forKey: .updatedAt)
        monitoringAt = c.lenient(String.self, forKey: .monitoringAt)
        resolvedAt = c.lenient(String.self, forKey: .resolvedAt)
        impact = c.lenient(StatuspageIncidentImpact.self, forKey: .impact)
        shortlink = c.lenient(String.self, forKey: .shortlink)
        startedAt = c.lenient(String.self, forKey: .startedAt)
        pageID = c.lenient(String.self, forKey: .pageID)
        incidentUpdates = c.lenientArray(of: StatuspageIncidentUpdate.self, forKey: .incidentUpdates) ?? []
        components = c.lenientArray(of: StatuspageComponent.self, forKey: .components) ?? []
        scheduledFor = c.lenient(String.self, forKey: .scheduledFor)
        scheduledUntil = c.lenient(String.self, forKey: .scheduledUntil)
    }
}

/// A scheduled maintenance is an incident object with two more fields.
public typealias StatuspageScheduledMaintenance = StatuspageIncident
