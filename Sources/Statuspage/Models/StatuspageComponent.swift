/// One component. A group (`group == true`) lists its children's ids in ``components``; the
/// children point back through ``groupID``. Groups are components in their own right (the
/// exporter gives them a series too).
public struct StatuspageComponent: Hashable, Sendable, Codable {
    public var id: String?
    public var name: String?
    public var status: StatuspageComponentStatus?
    public var createdAt: String?
    public var updatedAt: String?
    public var position: Int?
    public var description: String?
    public var showcase: Bool?
    /// `YYYY-MM-DD` or `nil`.
    public var startDate: String?
    public var groupID: String?
    public var pageID: String?
    public var group: Bool?
    public var onlyShowIfDegraded: Bool?
    /// Child component ids, on groups only.
    public var components: [String]?

    enum CodingKeys: String, CodingKey {
        case id, name, status, position, description, showcase, group, components
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case startDate = "start_date"
        case groupID = "group_id"
        case pageID = "page_id"
        case onlyShowIfDegraded = "only_show_if_degraded"
    }
}

extension StatuspageComponent {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = c.lenient(String.self, forKey: .id)
        name = c.lenient(String.self, forKey: .name)
        status = c.lenient(StatuspageComponentStatus.self, forKey: .status)
        createdAt = c.lenient(String.self, forKey: .createdAt)
        updatedAt = c.lenient(String.self, forKey: .updatedAt)
        position = c.lenient(Int.self, forKey: .position)
        description = c.lenient(String.self, forKey: .description)
        showcase = c.lenient(Bool.self, forKey: .showcase)
        startDate = c.lenient(String.self, forKey: .startDate)
        groupID = c.lenient(String.self, forKey: .groupID)
        pageID = c.lenient(String.self, forKey: .pageID)
        group = c.lenient(Bool.self, forKey: .group)
        onlyShowIfDegraded = c.lenient(Bool.self, forKey: .onlyShowIfDegraded)
        components = c.lenientArray(of: String.self, forKey: .components)
    }
}
