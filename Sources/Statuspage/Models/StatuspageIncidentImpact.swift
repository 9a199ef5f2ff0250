/// An incident's or maintenance's `impact`, kept as sent.
public struct StatuspageIncidentImpact: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let none = StatuspageIncidentImpact(rawValue: "none")
    public static let minor = StatuspageIncidentImpact(rawValue: "minor")
    public static let major = StatuspageIncidentImpact(rawValue: "major")
    public static let critical = StatuspageIncidentImpact(rawValue: "critical")
    /// Usual on scheduled maintenances.
    public static let maintenance = StatuspageIncidentImpact(rawValue: "maintenance")

    public var description: String { rawValue }
}
