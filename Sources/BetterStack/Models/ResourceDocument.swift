/// A single-resource response: `{"data": {…}}`.
public struct ResourceDocument<Resource: Decodable & Sendable>: Decodable, Sendable {
    /// The resource.
    public var data: Resource

    init(data: Resource) {
        self.data = data
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: JSONKey.self)
        data = try container.decode(Resource.self, forKey: "data")
    }
}
