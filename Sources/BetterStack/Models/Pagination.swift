/// The `pagination` block of every Better Stack list: absolute URLs that repeat the query.
/// `next` is `null` on the last page.
public struct Pagination: Sendable, Hashable, Codable {
    /// The first page.
    public var first: String?
    /// The last page.
    public var last: String?
    /// The previous page, `nil` on the first.
    public var prev: String?
    /// The next page, `nil` on the last.
    public var next: String?
}

extension Pagination {
    public init(from decoder: any Decoder) throws {
        let object = LenientObject(try decoder.container(keyedBy: JSONKey.self))
        // Some clients use "" for "no next page"; treat it like null.
        func link(_ key: JSONKey) -> String? {
            object.string(key).flatMap { $0.isEmpty ? nil : $0 }
        }
        self.init(first: link("first"), last: link("last"), prev: link("prev"), next: link("next"))
    }
}
