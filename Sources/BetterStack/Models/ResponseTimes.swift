/// A monitor's response times for the last 24 hours, grouped by region
/// (`type: "monitor_response_times"`, from `GET /api/v2/monitors/{id}/response-times`).
public struct ResponseTimes: Sendable, Hashable, Codable {
    /// The monitor id.
    public var monitorID: String
    /// One entry per region the monitor checks from.
    public var regions: [RegionResponseTimes]

    /// A response-times value.
    public init(monitorID: String, regions: [RegionResponseTimes]) {
        self.monitorID = monitorID
        self.regions = regions
    }

    /// The series for one region code, if present.
    public func region(_ code: String) -> RegionResponseTimes? {
        regions.first { $0.region.lowercased() == code.lowercased() }
    }

    public init(from decoder: any Decoder) throws {
        let resource = try ResourceReader(from: decoder)
        let lossy = resource.attributes?.decode([Lossy<RegionResponseTimes>].self, "regions") ?? []
        self.init(monitorID: resource.id, regions: lossy.compactMap(\.value))
    }

    public func encode(to encoder: any Encoder) throws {
        var writer = try ResourceWriter(to: encoder, id: monitorID, type: "monitor_response_times")
        try writer.set("regions", regions)
    }
}
