/// The page-wide `status.indicator`, kept as sent.
public struct StatuspageStatusIndicator: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let none = StatuspageStatusIndicator(rawValue: "none")
    public static let minor = StatuspageStatusIndicator(rawValue: "minor")
    public static let major = StatuspageStatusIndicator(rawValue: "major")
    public static let critical = StatuspageStatusIndicator(rawValue: "critical")
    /// Not in the public v2 docs but widely seen ("Service Under Maintenance").
    public static let maintenance = StatuspageStatusIndicator(rawValue: "maintenance")

    public var description: String { rawValue }
}
