/// One metadata value of an incident. v3 sends typed values
/// (`{"Response code": [{"type": "String", "value": "404"}]}`); v2 sends plain strings
/// (`{"Response code": "404"}`), which decode with a `nil` type.
public struct IncidentMetadataValue: Sendable, Hashable, Codable {
    /// The value type as upstream names it (`String`, `User`, …); `nil` for v2.
    public var type: String?
    /// The value as text.
    public var value: String

    /// A metadata value.
    public init(type: String? = nil, value: String) {
        self.type = type
        self.value = value
    }

    public init(from decoder: any Decoder) throws {
        if let object = LenientObject(decoder: decoder) {
            self.init(type: object.string("type"), value: object.string("value") ?? object.string("name") ?? "")
        } else {
            self.init(type: nil, value: try LenientString(from: decoder).value ?? "")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        try container.encodeIfPresent(type, forKey: "type")
        try container.encode(value, forKey: "value")
    }
}

/// Reads both metadata shapes into `[key: [values]]`.
enum IncidentMetadataReader {
    static func read(_ object: LenientObject?) -> [String: [IncidentMetadataValue]] {
        guard let object else { return [:] }
        var result: [String: [IncidentMetadataValue]] = [:]
        for key in object.allKeys {
            if let values = object.decode([Lossy<IncidentMetadataValue>].self, key) {
                result[key.stringValue] = values.compactMap(\.value)
            } else if let single = object.decode(IncidentMetadataValue.self, key) {
                result[key.stringValue] = [single]
            }
        }
        return result
    }
}
