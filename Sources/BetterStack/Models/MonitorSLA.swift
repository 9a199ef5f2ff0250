/// A monitor's availability summary (`type: "monitor_sla"`, from `GET /api/v2/monitors/{id}/sla`).
///
/// Note the units: ``availability`` is a percentage (99.98), durations are seconds. The field is
/// `total_downtime` upstream; `downtime_duration` seen in some third-party code is wrong.
public struct MonitorSLA: Sendable, Hashable, Codable {
    /// The monitor id.
    public var monitorID: String
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

    /// An SLA value.
    public init(
        monitorID: String,
        availability: Double?,
        totalDowntime: Double? = nil,
        numberOfIncidents: Int? = nil,
        longestIncident: Double? = nil,
        averageIncident: Double? = nil
    ) {
        self.monitorID = monitorID
        self.availability = availability
        self.totalDowntime = totalDowntime
        self.numberOfIncidents = numberOfIncidents
        self.longestIncident = longestIncident
        self.averageIncident = averageIncident
    }

    public init(from decoder: any Decoder) throws {
        let resource = try ResourceReader(from: decoder)
        let attributes = resource.attributes
        self.init(
            monitorID: resource.id,
            availability: attributes?.double("availability"),
            totalDowntime: attributes?.double("total_downtime"),
            numberOfIncidents: attributes?.int("number_of_incidents"),
            longestIncident: attributes?.double("longest_incident"),
            averageIncident: attributes?.double("average_incident")
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var writer = try ResourceWriter(to: encoder, id: monitorID, type: "monitor_sla")
        try writer.set("availability", availability)
        try writer.set("total_downtime", totalDowntime)
        try writer.set("number_of_incidents", numberOfIncidents)
        try writer.set("longest_incident", longestIncident)
        try writer.set("average_incident", averageIncident)
    }
}
