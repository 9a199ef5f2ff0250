/// The JSON:API-style resource object Better Stack wraps every record in:
/// `{"id": "41", "type": "monitor", "attributes": {…}, "relationships": {…}}`.
struct ResourceReader {
    let id: String
    let type: String?
    /// The attributes object; an empty view when absent or null, so fields simply read as `nil`.
    let attributes: LenientObject?
    let relationships: LenientObject?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: JSONKey.self)
        let object = LenientObject(container)
        guard let id = object.string("id") else {
            throw DecodingError.keyNotFound(
                JSONKey("id"),
                .init(codingPath: decoder.codingPath, debugDescription: "resource without an id")
            )
        }
        self.id = id
        type = object.string("type")
        attributes = object.object("attributes")
        relationships = object.object("relationships")
    }

    /// `relationships.<name>.data.id`, e.g. the monitor of an incident.
    func relatedID(_ name: String) -> String? {
        relationships?.object(JSONKey(name))?.object("data")?.string("id")
    }
}
