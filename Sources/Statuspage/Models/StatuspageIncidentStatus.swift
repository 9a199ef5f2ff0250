/// An incident's or maintenance's `status`, kept as sent.
public struct StatuspageIncidentStatus: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    // Incidents.
    public static let investigating = StatuspageIncidentStatus(rawValue: "investigating")
    public static let identified = StatuspageIncidentStatus(rawValue: "identified")
    public static let monitoring = StatuspageIncidentStatus(rawValue: "monitoring")
    public static let resolved = StatuspageIncidentStatus(rawValue: "resolved")
    public static let postmortem = StatuspageIncidentStatus(rawValue: "postmortem")
    // Scheduled maintenances.
    public static let scheduled = StatuspageIncidentStatus(rawValue: "scheduled")
    public static let inProgress = StatuspageIncidentStatus(rawValue: "in_progress")
    public static let verifying = StatuspageIncidentStatus(rawValue: "verifying")
    public static let completed = StatuspageIncidentStatus(rawValue: "completed")
    /// Not documented for v2 payloads, but the exporter treats it as finished.
    public static let cancelled = StatuspageIncidentStatus(rawValue: "cancelled")

    public var description: String { rawValue }
}
