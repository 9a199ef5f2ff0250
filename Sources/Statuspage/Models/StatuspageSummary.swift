#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `GET /api/v2/summary.json`: the page, its components (groups included), the unresolved
/// incidents, the upcoming and in-progress scheduled maintenances, and the page-wide status.
///
/// Decoded leniently: every field may be absent or `null`, unknown fields are ignored, and
/// elements that are not objects are skipped. Only a body that is not a JSON object fails.
public struct StatuspageSummary: Hashable, Sendable, Codable {
    public var page: StatuspagePage?
    public var components: [StatuspageComponent] = []
    public var incidents: [StatuspageIncident] = []
    public var scheduledMaintenances: [StatuspageScheduledMaintenance] = []
    /// `nil` when the page sent no `status` (the exporter then reads the indicator as `unknown`).
    public var status: StatuspageStatus?

    enum CodingKeys: String, CodingKey {
        case page, components, incidents, status
        case scheduledMaintenances = "scheduled_maintenances"
    }
}

extension StatuspageSummary {
    /// Decodes a `summary.json` body.
    public init(json bytes: some Collection<UInt8>) throws {
        self = try JSONDecoder().decode(StatuspageSummary.self, from: Data(bytes))
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        page = c.lenient(StatuspagePage.self, forKey: .page)
        components = c.lenientArray(of: StatuspageComponent.self, forKey: .components) ?? []
        incidents = c.lenientArray(of: StatuspageIncident.self, forKey: .incidents) ?? []
        scheduledMaintenances = c.lenientArray(of: StatuspageIncident.self, forKey: .scheduledMaintenances) ?? []
        status = c.lenient(StatuspageStatus.self, forKey: .status)
    }
}
