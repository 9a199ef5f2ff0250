/// One item shown on a status page (`type: "status_page_resource"`), from
/// `GET /api/v2/status-pages/{id}/resources`.
///
/// Unlike ``MonitorSLA``, ``availability`` here is a **fraction** (0.99963), not a percentage.
public struct StatusPageResource: Sendable, Hashable, Codable, Identifiable {
    /// One day of a resource's history.
    public struct DayStatus: Sendable, Hashable, Codable {
        /// The day, `YYYY-MM-DD`.
        public var day: String
        /// `operational`, `downtime`, `degraded`, `maintenance`, …
        public var status: String?
        /// Seconds of downtime that day.
        public var downtimeDuration: Double?
        /// Seconds of maintenance that day.
        public var maintenanceDuration: Double?

        /// A day's status.
        public init(
            day: String,
            status: String? = nil,
            downtimeDuration: Double? = nil,
            maintenanceDuration: Double? = nil
        ) {
            self.day = day
            self.status = status
            self.downtimeDuration = downtimeDuration
            self.maintenanceDuration = maintenanceDuration
        }

        public init(from decoder: any Decoder) throws {
            let object = LenientObject(try decoder.container(keyedBy: JSONKey.self))
            self.init(
                day: object.string("day") ?? "",
                status: object.string("status"),
                downtimeDuration: object.double("downtime_duration"),
                maintenanceDuration: object.double("maintenance_duration")
            )
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: JSONKey.self)
            try container.encode(day, forKey: "day")
            try container.encodeIfPresent(status, forKey: "status")
            try container.encodeIfPresent(downtimeDuration, forKey: "downtime_duration")
            try container.encodeIfPresent(maintenanceDuration, forKey: "maintenance_duration")
        }
    }

    /// The resource entry id.
    public var id: String
    /// The section it is shown in.
    public var statusPageSectionID: String?
    /// The id of the monitor, heartbeat, … it shows.
    public var resourceID: String?
    /// `Monitor`, `Heartbeat`, `MonitorGroup`, …
    public var resourceType: String?
    /// The name shown publicly.
    public var publicName: String?
    /// An explanation shown with it.
    public var explanation: String?
    /// `plain`, `history`, `response_times`, …
    public var widgetType: String?
    /// Order within the section.
    public var position: Int?
    /// Availability as a fraction, 0…1.
    public var availability: Double?
    /// Current status, e.g. `operational`.
    public var status: String?
    /// Per-day history.
    public var statusHistory: [DayStatus] = []

    public func encode(to encoder: any Encoder) throws {
        var writer = try ResourceWriter(to: encoder, id: id, type: "status_page_resource")
        try writer.set("status_page_section_id", statusPageSectionID)
        try writer.set("resource_id", resourceID)
        try writer.set("resource_type", resourceType)
        try writer.set("public_name", publicName)
        try writer.set("explanation", explanation)
        try writer.set("widget_type", widgetType)
        try writer.set("position", position)
        try writer.set("availability", availability)
        try writer.set("status", status)
        try writer.set("status_history", statusHistory)
    }
}

extension StatusPageResource {
    public init(from decoder: any Decoder) throws {
        let resource = try ResourceReader(from: decoder)
        let attributes = resource.attributes
        self.init(
            id: resource.id,
            statusPageSectionID: attributes?.string("status_page_section_id"),
            resourceID: attributes?.string("resource_id"),
            resourceType: attributes?.string("resource_type"),
            publicName: attributes?.string("public_name"),
            explanation: attributes?.string("explanation"),
            widgetType: attributes?.string("widget_type"),
            position: attributes?.int("position"),
            availability: attributes?.double("availability"),
            status: attributes?.string("status"),
            statusHistory: (attributes?.decode([Lossy<DayStatus>].self, "status_history") ?? []).compactMap(\.value)
        )
    }
}
