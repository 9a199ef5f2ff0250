/// A monitor's state as Better Stack reports it (lower case upstream).
public enum MonitorStatus: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Paused by a person.
    case paused
    /// Just created, waiting for its first check.
    case pending
    /// Paused because it is inside its maintenance window.
    case maintenance
    /// Checks pass.
    case up
    /// Looks back up, but the recovery period has not passed yet.
    case validating
    /// Checks fail; an incident is open.
    case down
    /// A value this client does not know yet (kept verbatim).
    case unknown(String)

    /// Maps the upstream text; unknown values are kept, not rejected.
    public init(rawValue: String) {
        switch rawValue.lowercased() {
        case "paused": self = .paused
        case "pending": self = .pending
        case "maintenance": self = .maintenance
        case "up": self = .up
        case "validating": self = .validating
        case "down": self = .down
        default: self = .unknown(rawValue)
        }
    }

    /// The upstream spelling.
    public var rawValue: String {
        switch self {
        case .paused: "paused"
        case .pending: "pending"
        case .maintenance: "maintenance"
        case .up: "up"
        case .validating: "validating"
        case .down: "down"
        case .unknown(let value): value
        }
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: (try? decoder.singleValueContainer().decode(String.self)) ?? "")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
