/// Why a run as a whole failed (a single source failing is in its ``SourceReport``).
public enum PushFailure: Sendable, Equatable, CustomStringConvertible {
    /// The settings cannot work; nothing was fetched or sent.
    case configuration(String)
    /// Another run holds the checkpoint's lock; nothing was fetched or sent.
    case busy(String)
    /// The checkpoint could not be read or written.
    case checkpoint(String)
    /// The receiver failed; delivery stopped at the first batch it did not acknowledge.
    case receiver(String)
    /// The run was cancelled.
    case cancelled

    public var description: String {
        switch self {
        case .configuration(let reason): "configuration: \(reason)"
        case .busy(let reason): reason
        case .checkpoint(let reason): reason
        case .receiver(let reason): reason
        case .cancelled: "cancelled"
        }
    }
}
