/// A hosted status page (`type: "status_page"`), from `GET /api/v2/status-pages`.
public struct StatusPage: Sendable, Hashable, Codable, Identifiable {
    /// The status page id.
    public var id: String
    /// The company name shown on the page.
    public var companyName: String?
    /// The company's website.
    public var companyURL: String?
    /// `<subdomain>.betteruptime.com`.
    public var subdomain: String?
    /// A custom domain, if configured.
    public var customDomain: String?
    /// The page's time zone name.
    public var timezone: String?
    /// The overall state shown, e.g. `operational`, `degraded`, `downtime`, `maintenance`.
    public var aggregateState: String?
    /// Days of history shown.
    public var history: Int?
    /// The status page group, if any.
    public var statusPageGroupID: String?
    /// Creation time, ms since the Unix epoch.
    public var createdAt: Int64?
    /// Last change, ms since the Unix epoch.
    public var updatedAt: Int64?

    public func encode(to encoder: any Encoder) throws {
        var writer = try ResourceWriter(to: encoder, id: id, type: "status_page")
        try writer.set("company_name", companyName)
        try writer.set("company_url", companyURL)
        try writer.set("subdomain", subdomain)
        try writer.set("custom_domain", customDomain)
        try writer.set("timezone", timezone)
        try writer.set("aggregate_state", aggregateState)
        try writer.set("history", history)
        try writer.set("status_page_group_id", statusPageGroupID)
        try writer.setTimestamp("created_at", createdAt)
        try writer.setTimestamp("updated_at", updatedAt)
    }
}

extension StatusPage {
    public init(from decoder: any Decoder) throws {
        let resource = try ResourceReader(from: decoder)
        let attributes = resource.attributes
        self.init(
            id: resource.id,
            companyName: attributes?.string("company_name"),
            companyURL: attributes?.string("company_url"),
            subdomain: attributes?.string("subdomain"),
            customDomain: attributes?.string("custom_domain"),
            timezone: attributes?.string("timezone"),
            aggregateState: attributes?.string("aggregate_state"),
            history: attributes?.int("history"),
            statusPageGroupID: attributes?.string("status_page_group_id"),
            createdAt: attributes?.timestamp("created_at"),
            updatedAt: attributes?.timestamp("updated_at")
        )
    }
}
