/// A component's `status`, kept as sent: the documented values are constants here, and anything
/// else a page sends survives decoding.
public struct StatuspageComponentStatus: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let operational = StatuspageComponentStatus(rawValue: "operational")
    public static let degradedPerformance = StatuspageComponentStatus(rawValue: "degraded_performance")
    public static let partialOutage = StatuspageComponentStatus(rawValue: "partial_outage")
    public static let majorOutage = StatuspageComponentStatus(rawValue: "major_outage")
    /// Not in the public v2 docs but sent during maintenance (seen in Discord's status API captures, `Dziurwa14/discord-undoc.github.io` `src/status_api.md`).
    public static let underMaintenance = StatuspageComponentStatus(rawValue: "under_maintenance")

    /// `operational`, compared without case as the exporter does.
    public var isOperational: Bool { rawValue.lowercased() == "operational" }

    public var description: String { rawValue }
}
