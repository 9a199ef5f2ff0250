/// A heartbeat's state as Better Stack reports it (lower case upstream).
public enum HeartbeatStatus: OpenVocabulary {
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

    public static let known: [HeartbeatStatus] = [.paused, .pending, .up, .down]

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
}
