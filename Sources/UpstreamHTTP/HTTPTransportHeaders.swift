/// An ordered list of HTTP header fields with case-insensitive lookup.
public struct HTTPTransportHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral,
    ExpressibleByArrayLiteral
{
    /// One header field.
    public struct Field: Sendable, Equatable {
        /// The field name as sent or received.
        public var name: String
        /// The field value.
        public var value: String

    }

    /// The fields in order.
    public private(set) var fields: [Field]

    /// Headers from name/value pairs, in order.
    public init(_ pairs: [(String, String)] = []) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// `[("Accept", "application/json"), ("Accept", "text/plain")]`: like the dictionary literal,
    /// but a name may repeat.
    public init(arrayLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// Appends a field (duplicates are kept, as HTTP allows).
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field with this name by a single one.
    public mutating func replaceOrAdd(name: String, value: String) {
        fields.removeAll { $0.name.lowercased() == name.lowercased() }
        fields.append(Field(name: name, value: value))
    }

    /// The first value of the field with this name (case-insensitive).
    public subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return fields.first { $0.name.lowercased() == lowered }?.value
    }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }
}
