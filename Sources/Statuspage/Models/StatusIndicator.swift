/// The page-wide `status.indicator`, kept as sent.
public struct StatusIndicator: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let none = StatusIndicator(rawValue: "none")
    public static let minor = StatusIndicator(rawValue: "minor")
    public static let major = StatusIndicator(rawValue: "major")
    public static let critical = StatusIndicator(rawValue: "critical")
    /// Not in the public v2 docs but widely seen ("Service Under Maintenance").
    public static let maintenance = StatusIndicator(rawValue: "maintenance")

    public var description: String { rawValue }
}
