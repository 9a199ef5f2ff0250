/// Lenient decoding, as every upstream payload needs (Atlassian's Statuspage API documentation,
/// https://developer.statuspage.io, adds fields without a version change): unknown keys are
/// ignored, absent and `null` keys are `nil`, and a value of the wrong type is `nil` rather than
/// a failure of the whole page. A status page that adds a field or sends `"position": "1"` must
/// not turn into a failed probe.
extension KeyedDecodingContainer {
    func lenient<T: Decodable>(_ type: T.Type, forKey key: Key) -> T? {
        try? decodeIfPresent(type, forKey: key)
    }

    /// An array whose malformed elements are skipped instead of failing the array.
    func lenientArray<T: Decodable>(of type: T.Type, forKey key: Key) -> [T]? {
        (try? decodeIfPresent(LenientArray<T>.self, forKey: key))?.elements
    }
}

/// Decodes the elements that decode and steps over the others.
struct LenientArray<Element: Decodable>: Decodable {
    var elements: [Element]

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        var elements: [Element] = []
        if let count = container.count { elements.reserveCapacity(count) }
        while !container.isAtEnd {
            if let element = try? container.decode(Element.self) {
                elements.append(element)
            } else {
                // A decoder advances past an element only when a decode succeeds.
                guard (try? container.decode(Skipped.self)) != nil else { break }
            }
        }
        self.elements = elements
    }

    private struct Skipped: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}
