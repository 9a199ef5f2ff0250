/// A list response: `{"data": [...], "pagination": {...}}`.
///
/// Elements that can not be decoded (no id, not an object) are skipped rather than failing the
/// page; `data: null` reads as an empty list.
public struct ListDocument<Resource: Decodable & Sendable>: Decodable, Sendable {
    /// The resources on this page.
    public var data: [Resource]
    /// Links to the other pages, if present.
    public var pagination: Pagination?

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: JSONKey.self)
        guard container.contains("data") else {
            throw DecodingError.keyNotFound(
                JSONKey("data"),
                .init(codingPath: decoder.codingPath, debugDescription: "list response without data")
            )
        }
        if try container.decodeNil(forKey: "data") {
            data = []
        } else {
            data = try container.decode([Lossy<Resource>].self, forKey: "data").compactMap(\.value)
        }
        pagination = try? container.decodeIfPresent(Pagination.self, forKey: "pagination")
    }
}
