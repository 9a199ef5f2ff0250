/// A monitor's state as Better Stack reports it (lower case upstream).
public enum MonitorStatus: OpenVocabulary {
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

    public static let known: [MonitorStatus] = [.paused, .pending, .maintenance, .up, .validating, .down]

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
}
