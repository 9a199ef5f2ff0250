/// A heartbeat's state as Better Stack reports it (lower case upstream).
public enum HeartbeatStatus: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Paused by a person.
    case paused
    /// Waiting for the first ping.
    case pending
    /// Pings arrive in time.
    case up
    /// A ping is overdue or reported failure; an incident is open.
    case down
    /// A value this client does not know yet (kept verbatim).
    case unknown(String)

    /// Maps the upstream text; unknown values are kept, not rejected.
    public init(rawValue: String) {
        switch rawValue.lowercased() {
        case "paused": self = .paused
        case "pending": self = .pending
        case "up": self = .up
        case "down": self = .down
        default: self = .unknown(rawValue)
        }
    }

    /// The upstream spelling.
    public var rawValue: String {
        switch self {
        case .paused: "paused"
        case .pending: "pending"
        case .up: "up"
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
