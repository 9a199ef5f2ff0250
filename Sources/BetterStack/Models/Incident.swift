/// An incident (`type: "incident"`) from `GET /api/v3/incidents` (or the older v2 list, whose
/// metadata values are plain strings; both decode into ``metadata``).
///
/// Timestamps are milliseconds since the Unix epoch.
public struct Incident: Sendable, Hashable, Codable, Identifiable {
    /// The incident id.
    public var id: String
    /// Usually the monitor's name.
    public var name: String?
    /// The monitored URL, if any.
    public var url: String?
    /// `get`, `post`, …
    public var httpMethod: String?
    /// Why it started, e.g. `Status 503`.
    public var cause: String?
    /// The incident group, if any.
    public var incidentGroupID: String?
    /// Start.
    public var startedAt: Int64?
    /// Acknowledgement time, if acknowledged.
    public var acknowledgedAt: Int64?
    /// Who acknowledged it.
    public var acknowledgedBy: String?
    /// End, if resolved.
    public var resolvedAt: Int64?
    /// Who resolved it.
    public var resolvedBy: String?
    /// Current state.
    public var status: IncidentStatus = .started
    /// The owning team.
    public var teamName: String?
    /// The failing response's body, when upstream kept it (under 500 bytes).
    public var responseContent: String?
    /// Regions that saw the failure.
    public var regions: [String] = []
    /// Response and screenshot links kept by upstream.
    public var responseURL: String?
    /// A screenshot of the failure, if any.
    public var screenshotURL: String?
    /// Origin of the incident, if any.
    public var originURL: String?
    /// The escalation policy, if any.
    public var escalationPolicyID: String?
    /// Metadata values by key (v3 typed arrays; v2 strings become one untyped value).
    public var metadata: [String: [IncidentMetadataValue]] = [:]
    /// The monitor it belongs to (`relationships.monitor.data.id`, or `monitor_id`).
    public var monitorID: String?
    /// The heartbeat it belongs to (`relationships.heartbeat.data.id`, or `heartbeat_id`).
    public var heartbeatID: String?

    /// Metadata flattened to one string per key (several values joined with `, `).
    public var metadataText: [String: String] {
        metadata.mapValues { $0.map(\.value).joined(separator: ", ") }
    }

    /// Whether the incident is still open.
    public var isOpen: Bool { resolvedAt == nil && status != .resolved }

    public func encode(to encoder: any Encoder) throws {
        var writer = try ResourceWriter(to: encoder, id: id, type: "incident")
        try writer.set("name", name)
        try writer.set("url", url)
        try writer.set("http_method", httpMethod)
        try writer.set("cause", cause)
        try writer.set("incident_group_id", incidentGroupID)
        try writer.setTimestamp("started_at", startedAt)
        try writer.setTimestamp("acknowledged_at", acknowledgedAt)
        try writer.set("acknowledged_by", acknowledgedBy)
        try writer.setTimestamp("resolved_at", resolvedAt)
        try writer.set("resolved_by", resolvedBy)
        try writer.set("status", status)
        try writer.set("team_name", teamName)
        try writer.set("response_content", responseContent)
        try writer.set("regions", regions)
        try writer.set("response_url", responseURL)
        try writer.set("screenshot_url", screenshotURL)
        try writer.set("origin_url", originURL)
        try writer.set("escalation_policy_id", escalationPolicyID)
        try writer.set("metadata", metadata)
        try writer.setRelationships([
            (name: "monitor", id: monitorID, type: "monitor"),
            (name: "heartbeat", id: heartbeatID, type: "heartbeat"),
        ])
    }
}

extension Incident {
    public init(from decoder: any Decoder) throws {
        let resource = try ResourceReader(from: decoder)
        let attributes = resource.attributes
        let resolvedAt = attributes?.timestamp("resolved_at")
        let acknowledgedAt = attributes?.timestamp("acknowledged_at")
        // A missing status is derived from the timestamps rather than left unknown (which would read as open).
        let status =
            attributes?.string("status").map(IncidentStatus.init(rawValue:))
            ?? (resolvedAt != nil ? .resolved : acknowledgedAt != nil ? .acknowledged : .started)
        self.init(
            id: resource.id,
            name: attributes?.string("name"),
            url: attributes?.string("url"),
            httpMethod: attributes?.string("http_method"),
            cause: attributes?.string("cause"),
            incidentGroupID: attributes?.string("incident_group_id"),
            startedAt: attributes?.timestamp("started_at"),
            acknowledgedAt: acknowledgedAt,
            acknowledgedBy: attributes?.string("acknowledged_by"),
            resolvedAt: resolvedAt,
            resolvedBy: attributes?.string("resolved_by"),
            status: status,
            teamName: attributes?.string("team_name"),
            responseContent: attributes?.string("response_content"),
            regions: attributes?.strings("regions") ?? [],
            responseURL: attributes?.string("response_url"),
            screenshotURL: attributes?.string("screenshot_url"),
            originURL: attributes?.string("origin_url"),
            escalationPolicyID: attributes?.string("escalation_policy_id"),
            metadata: IncidentMetadataReader.read(attributes?.object("metadata")),
            monitorID: resource.relatedID("monitor") ?? attributes?.string("monitor_id"),
            heartbeatID: resource.relatedID("heartbeat") ?? attributes?.string("heartbeat_id")
        )
    }
}
