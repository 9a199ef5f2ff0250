/// What the availability summary is about: a monitor (`type: "monitor_sla"`, from
/// `GET /api/v2/monitors/{id}/sla`) or a heartbeat (`type: "heartbeat_availability"`, from
/// `GET /api/v2/heartbeats/{id}/availability`). The two resources carry the same attributes.
public protocol AvailabilitySubject: Sendable {
    /// The JSON:API `type` of the summary resource.
    static var resourceType: String { get }
}

/// A monitor's summary: ``MonitorSLA``.
public enum MonitorSubject: AvailabilitySubject {
    public static let resourceType = "monitor_sla"
}

/// A heartbeat's summary: ``HeartbeatAvailability``.
public enum HeartbeatSubject: AvailabilitySubject {
    public static let resourceType = "heartbeat_availability"
}

/// A monitor's availability summary, from `GET /api/v2/monitors/{id}/sla`.
public typealias MonitorSLA = AvailabilitySummary<MonitorSubject>
/// A heartbeat's availability summary, from `GET /api/v2/heartbeats/{id}/availability`.
public typealias HeartbeatAvailability = AvailabilitySummary<HeartbeatSubject>

/// An availability summary over a range, for a monitor or a heartbeat.
///
/// Note the units: ``availability`` is a percentage (99.98), durations are seconds. The field is
/// `total_downtime` upstream; `downtime_duration` seen in some third-party code is wrong.
public struct AvailabilitySummary<Subject: AvailabilitySubject>: Sendable, Hashable, Codable {
    /// The monitor's or heartbeat's id.
    public var subjectID: String
    /// Availability in percent, 0…100.
    public var availability: Double?
    /// Total downtime in seconds.
    public var totalDowntime: Double?
    /// Number of incidents in the range.
    public var numberOfIncidents: Int?
    /// The longest incident, seconds.
    public var longestIncident: Double?
    /// The mean incident length, seconds.
    public var averageIncident: Double?

    public func encode(to encoder: any Encoder) throws {
        var writer = try ResourceWriter(to: encoder, id: subjectID, type: Subject.resourceType)
        try writer.set("availability", availability)
        try writer.set("total_downtime", totalDowntime)
        try writer.set("number_of_incidents", numberOfIncidents)
        try writer.set("longest_incident", longestIncident)
        try writer.set("average_incident", averageIncident)
    }
}

extension AvailabilitySummary {
    public init(from decoder: any Decoder) throws {
        let resource = try ResourceReader(from: decoder)
        let attributes = resource.attributes
        self.init(
            subjectID: resource.id,
            availability: attributes?.double("availability"),
            totalDowntime: attributes?.double("total_downtime"),
            numberOfIncidents: attributes?.int("number_of_incidents"),
            longestIncident: attributes?.double("longest_incident"),
            averageIncident: attributes?.double("average_incident")
        )
    }
}
