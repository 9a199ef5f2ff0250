/// The page-wide `status`: `{"indicator": "none", "description": "All Systems Operational"}`.
public struct StatuspageStatus: Hashable, Sendable, Codable {
    public var indicator: StatuspageStatusIndicator?
    public var description: String?

    public init(indicator: StatuspageStatusIndicator? = nil, description: String? = nil) {
        self.indicator = indicator
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case indicator, description
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        indicator = c.lenient(StatuspageStatusIndicator.self, forKey: .indicator)
        description = c.lenient(String.self, forKey: .description)
    }
}
