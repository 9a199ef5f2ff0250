/// The response times measured from one region (`us`, `eu`, `as`, `au`), oldest first.
public struct RegionResponseTimes: Sendable, Hashable, Codable {
    /// The region code.
    public var region: String
    /// The points, sorted by ``ResponseTimePoint/at`` ascending.
    public var points: [ResponseTimePoint]

    /// A region's series; points are sorted by time.
    public init(region: String, points: [ResponseTimePoint]) {
        self.region = region
        self.points = points.sorted { $0.at < $1.at }
    }

    /// A region's series whose points are already in the order to keep (decoders that sorted
    /// them only when upstream was not ascending, as ``init(from:)`` does).
    init(region: String, orderedPoints: [ResponseTimePoint]) {
        self.region = region
        self.points = orderedPoints
    }

    public init(from decoder: any Decoder) throws {
        let object = LenientObject(try decoder.container(keyedBy: JSONKey.self))
        let lossy = object.decode([Lossy<ResponseTimePoint>].self, "response_times") ?? []
        var points = lossy.compactMap(\.value)
        // Upstream order is not documented; the docs example is ascending, so this is usually a no-op check.
        if !zip(points, points.dropFirst()).allSatisfy({ $0.at <= $1.at }) {
            points.sort { $0.at < $1.at }
        }
        self.region = object.string("region") ?? ""
        self.points = points
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        try container.encode(region, forKey: "region")
        try container.encode(points, forKey: "response_times")
    }
}
