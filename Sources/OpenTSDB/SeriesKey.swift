/// The identity of a time series: metric name plus tag set, rendered canonically as
/// `metric{key=value,key=value}` with keys sorted.
///
/// The rendering is unambiguous for every name OpenTSDB accepts, since its character rules
/// exclude `{`, `}`, `=` and `,`.
public struct SeriesKey: Sendable, Hashable, Comparable, CustomStringConvertible, Codable, CodingKeyRepresentable {
    /// The canonical text.
    public let rawValue: String

    /// The key of `metric` with `tags`.
    public init(metric: String, tags: [String: String]) {
        let rendered = tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        self.rawValue = "\(metric){\(rendered)}"
    }

    /// Wraps an already canonical key (as read back from a checkpoint file).
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// As a dictionary key, a series encodes as a JSON object member name.
    public var codingKey: any CodingKey { Key(stringValue: rawValue) }

    public init?<T: CodingKey>(codingKey: T) {
        self.rawValue = codingKey.stringValue
    }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public var description: String { rawValue }
    public static func < (lhs: SeriesKey, rhs: SeriesKey) -> Bool { lhs.rawValue < rhs.rawValue }
}
