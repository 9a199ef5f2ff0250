/// An entry of an incident update's `affected_components`:
/// `{"code": "<component id>", "name", "old_status", "new_status"}`. Old updates may hold only
/// `{"name": "No components were affected by this update."}`.
public struct StatuspageAffectedComponent: Hashable, Sendable, Codable {
    /// The component id.
    public var code: String?
    public var name: String?
    public var oldStatus: StatuspageComponentStatus?
    public var newStatus: StatuspageComponentStatus?

    enum CodingKeys: String, CodingKey {
        case code, name
        case oldStatus = "old_status"
        case newStatus = "new_status"
    }
}

extension StatuspageAffectedComponent {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = c.lenient(String.self, forKey: .code)
        name = c.lenient(String.self, forKey: .name)
        oldStatus = c.lenient(StatuspageComponentStatus.self, forKey: .oldStatus)
        newStatus = c.lenient(StatuspageComponentStatus.self, forKey: .newStatus)
    }
}
