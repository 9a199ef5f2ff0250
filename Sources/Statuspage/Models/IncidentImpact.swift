/// An incident's or maintenance's `impact`, kept as sent.
public struct IncidentImpact: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let none = IncidentImpact(rawValue: "none")
    public static let minor = IncidentImpact(rawValue: "minor")
    public static let major = IncidentImpact(rawValue: "major")
    public static let critical = IncidentImpact(rawValue: "critical")
    /// Usual on scheduled maintenances.
    public static let maintenance = IncidentImpact(rawValue: "maintenance")

    public var description: String { rawValue }
}
