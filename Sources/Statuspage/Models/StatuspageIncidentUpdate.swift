/// One entry of an incident's `incident_updates` (newest first upstream).
public struct StatuspageIncidentUpdate: Hashable, Sendable, Codable {
    public var id: String?
    public var status: StatuspageIncidentStatus?
    public var body: String?
    public var incidentID: String?
    public var createdAt: String?
    public var updatedAt: String?
    public var displayAt: String?
    /// `nil` when the page sent `null`.
    public var affectedComponents: [StatuspageAffectedComponent]?
    public var deliverNotifications: Bool?
    public var customTweet: String?
    public var tweetID: String?

    enum CodingKeys: String, CodingKey {
        case id, status, body
        case incidentID = "incident_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case displayAt = "display_at"
        case affectedComponents = "affected_components"
        case deliverNotifications = "deliver_notifications"
        case customTweet = "custom_tweet"
        case tweetID = "tweet_id"
    }
}

extension StatuspageIncidentUpdate {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = c.lenient(String.self, forKey: .id)
        status = c.lenient(StatuspageIncidentStatus.self, forKey: .status)
        body = c.lenient(String.self, forKey: .body)
        incidentID = c.lenient(String.self, forKey: .incidentID)
        createdAt = c.lenient(String.self, forKey: .createdAt)
        updatedAt = c.lenient(String.self, forKey: .updatedAt)
        displayAt = c.lenient(String.self, forKey: .displayAt)
        affectedComponents = c.lenientArray(of: StatuspageAffectedComponent.self, forKey: .affectedComponents)
        deliverNotifications = c.lenient(Bool.self, forKey: .deliverNotifications)
        customTweet = c.lenient(String.self, forKey: .customTweet)
        tweetID = c.lenient(String.self, forKey: .tweetID)
    }
}
