/// An incident's state. Upstream spells these capitalised (`Started`), unlike monitor status;
/// matching is case-insensitive.
public enum IncidentStatus: OpenVocabulary {
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

    public static let known: [IncidentStatus] = [.unconfirmed, .started, .acknowledged, .resolved, .validating]

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
}
