/// An incident's state. Upstream spells these capitalised (`Started`), unlike monitor status;
/// matching is case-insensitive.
public enum IncidentStatus: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Not yet confirmed from enough regions.
    case unconfirmed
    /// Ongoing, nobody has acknowledged it.
    case started
    /// Ongoing and acknowledged.
    case acknowledged
    /// Over.
    case resolved
    /// Looks over, waiting for the recovery period.
    case validating
    /// A value this client does not know yet (kept verbatim).
    case unknown(String)

    /// Maps the upstream text; unknown values are kept, not rejected.
    public init(rawValue: String) {
        switch rawValue.lowercased() {
        case "unconfirmed": self = .unconfirmed
        case "started": self = .started
        case "acknowledged": self = .acknowledged
        case "resolved": self = .resolved
        case "validating": self = .validating
        default: self = .unknown(rawValue)
        }
    }

    /// The upstream spelling (capitalised).
    public var rawValue: String {
        switch self {
        case .unconfirmed: "Unconfirmed"
        case .started: "Started"
        case .acknowledged: "Acknowledged"
        case .resolved: "Resolved"
        case .validating: "Validating"
        case .unknown(let value): value
        }
    }

    /// Whether the incident is still open (anything but resolved).
    public var isOpen: Bool { self != .resolved }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: (try? decoder.singleValueContainer().decode(String.self)) ?? "")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
