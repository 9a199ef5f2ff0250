/// A value Better Stack spells as text where new spellings may appear at any time (monitor,
/// heartbeat and incident status): the known spellings are cases, anything else is kept verbatim
/// in `unknown`, never rejected. Matching ignores case; encoding writes the upstream spelling.
///
/// A conforming enum lists its known cases and spells each; parsing, `description` and the
/// single-string `Codable` form come from here.
public protocol OpenVocabulary: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Every case but `unknown`.
    static var known: [Self] { get }
    /// A value this client does not know yet, kept as sent.
    static func unknown(_ spelling: String) -> Self
    /// The upstream spelling.
    var rawValue: String { get }
}

extension OpenVocabulary {
    /// Maps the upstream text; unknown values are kept, not rejected.
    public init(rawValue: String) {
        let lowered = rawValue.lowercased()
        self = Self.known.first { $0.rawValue.lowercased() == lowered } ?? .unknown(rawValue)
    }

    public var description: String { rawValue }

    /// A missing or non-string value decodes as `unknown("")`, not as a failure of the resource.
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: (try? decoder.singleValueContainer().decode(String.self)) ?? "")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
