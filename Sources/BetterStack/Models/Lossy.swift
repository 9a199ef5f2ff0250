/// Decodes an element if it can and yields `nil` otherwise, so that one malformed entry in a
/// list does not fail the whole document.
struct Lossy<Element: Decodable>: Decodable {
    let value: Element?

    init(from decoder: any Decoder) throws {
        value = try? Element(from: decoder)
    }
}
