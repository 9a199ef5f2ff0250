/// The `page` object every v2 endpoint starts with.
public struct StatuspagePage: Hashable, Sendable, Codable {
    public var id: String?
    public var name: String?
    /// The public status page, e.g. `https://discordstatus.com`.
    public var url: String?
    /// IANA name; some pages omit it.
    public var timeZone: String?
    /// ISO 8601 with milliseconds and the page's offset, kept as sent.
    public var updatedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, name, url
        case timeZone = "time_zone"
        case updatedAt = "updated_at"
    }
}

extension StatuspagePage {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = c.lenient(String.self, forKey: .id)
        name = c.lenient(String.self, forKey: .name)
        url = c.lenient(String.self, forKey: .url)
        timeZone = c.lenient(String.self, forKey: .timeZone)
        updatedAt = c.lenient(String.self, forKey: .updatedAt)
    }
}
