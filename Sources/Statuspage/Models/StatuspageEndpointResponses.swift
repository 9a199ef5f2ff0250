#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// The sibling endpoints of summary.json. Each starts with the same `page` object and carries one
// part of the summary; decoded as leniently as the summary.

/// `GET /api/v2/status.json`.
public struct StatuspageStatusResponse: Hashable, Sendable, Codable {
    public var page: StatuspagePage?
    public var status: StatuspageStatus?

    /// Decodes a `status.json` body.
    public init(json bytes: some Collection<UInt8>) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(bytes))
    }

    enum CodingKeys: String, CodingKey {
        case page, status
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        page = c.lenient(StatuspagePage.self, forKey: .page)
        status = c.lenient(StatuspageStatus.self, forKey: .status)
    }
}

/// `GET /api/v2/components.json`.
public struct StatuspageComponentsResponse: Hashable, Sendable, Codable {
    public var page: StatuspagePage?
    public var components: [StatuspageComponent]

    /// Decodes a `components.json` body.
    public init(json bytes: some Collection<UInt8>) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(bytes))
    }

    enum CodingKeys: String, CodingKey {
        case page, components
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        page = c.lenient(StatuspagePage.self, forKey: .page)
        components = c.lenientArray(of: StatuspageComponent.self, forKey: .components) ?? []
    }
}

/// `GET /api/v2/incidents.json` (the 50 most recent, any status) and
/// `GET /api/v2/incidents/unresolved.json`.
public struct StatuspageIncidentsResponse: Hashable, Sendable, Codable {
    public var page: StatuspagePage?
    public var incidents: [StatuspageIncident]

    /// Decodes an `incidents.json` or `incidents/unresolved.json` body.
    public init(json bytes: some Collection<UInt8>) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(bytes))
    }

    enum CodingKeys: String, CodingKey {
        case page, incidents
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        page = c.lenient(StatuspagePage.self, forKey: .page)
        incidents = c.lenientArray(of: StatuspageIncident.self, forKey: .incidents) ?? []
    }
}

/// `GET /api/v2/scheduled-maintenances.json` (and its `upcoming` and `active` variants).
public struct StatuspageScheduledMaintenancesResponse: Hashable, Sendable, Codable {
    public var page: StatuspagePage?
    public var scheduledMaintenances: [StatuspageScheduledMaintenance]

    /// Decodes a `scheduled-maintenances*.json` body.
    public init(json bytes: some Collection<UInt8>) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(bytes))
    }

    enum CodingKeys: String, CodingKey {
        case page
        case scheduledMaintenances = "scheduled_maintenances"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        page = c.lenient(StatuspagePage.self, forKey: .page)
        scheduledMaintenances = c.lenientArray(of: StatuspageIncident.self, forKey: .scheduledMaintenances) ?? []
    }
}
