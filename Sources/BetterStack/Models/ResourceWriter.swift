/// Writes a resource in the same shape, so that models round-trip through caches and the sandbox.
struct ResourceWriter {
    private var container: KeyedEncodingContainer<JSONKey>
    private(set) var attributes: KeyedEncodingContainer<JSONKey>

    init(to encoder: any Encoder, id: String, type: String) throws {
        container = encoder.container(keyedBy: JSONKey.self)
        try container.encode(id, forKey: "id")
        try container.encode(type, forKey: "type")
        attributes = container.nestedContainer(keyedBy: JSONKey.self, forKey: "attributes")
    }

    mutating func set<T: Encodable>(_ key: JSONKey, _ value: T?) throws {
        try attributes.encodeIfPresent(value, forKey: key)
    }

    mutating func setTimestamp(_ key: JSONKey, _ milliseconds: Int64?) throws {
        try attributes.encodeIfPresent(milliseconds.map { ISO8601Timestamp.format(milliseconds: $0) }, forKey: key)
    }

    /// Adds `relationships.<name>.data = {"id": id, "type": type}` for each relation that has an id.
    mutating func setRelationships(_ relations: [(name: String, id: String?, type: String)]) throws {
        let present = relations.filter { $0.id != nil }
        guard !present.isEmpty else { return }
        var relationships = container.nestedContainer(keyedBy: JSONKey.self, forKey: "relationships")
        for relation in present {
            var wrapper = relationships.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey(relation.name))
            var data = wrapper.nestedContainer(keyedBy: JSONKey.self, forKey: "data")
            try data.encode(relation.id, forKey: "id")
            try data.encode(relation.type, forKey: "type")
        }
    }
}
