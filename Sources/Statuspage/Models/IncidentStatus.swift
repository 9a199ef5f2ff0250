/// An incident's or maintenance's `status`, kept as sent.
public struct IncidentStatus: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    // Incidents.
    public static let investigating = IncidentStatus(rawValue: "investigating")
    public static let identified = IncidentStatus(rawValue: "identified")
    public static let monitoring = IncidentStatus(rawValue: "monitoring")
    public static let resolved = IncidentStatus(rawValue: "resolved")
    public static let postmortem = IncidentStatus(rawValue: "postmortem")
    // Scheduled maintenances.
    public static let scheduled = IncidentStatus(rawValue: "scheduled")
    public static let inProgress = IncidentStatus(rawValue: "in_progress")
    public static let verifying = IncidentStatus(rawValue: "verifying")
    public static let completed = IncidentStatus(rawValue: "completed")
    /// Not documented for v2 payloads, but the exporter treats it as finished.
    public static let cancelled = IncidentStatus(rawValue: "cancelled")

    public var description: String { rawValue }
}
