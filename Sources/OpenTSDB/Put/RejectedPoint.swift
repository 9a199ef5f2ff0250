/// A point that was not stored, and why.
public struct RejectedPoint: Sendable, Hashable, CustomStringConvertible {
    /// Who refused it.
    public enum Origin: String, Sendable, Hashable {
        /// Refused before sending (``DataPointProblem``); never reached the receiver.
        case validation
        /// The receiver's `details` answer listed it.
        case receiver
    }

    /// The point.
    public var point: DataPoint
    /// One line.
    public var reason: String
    /// Who refused it.
    public var origin: Origin

    public var description: String {
        "\(point.series) @\(point.timestamp): \(reason) (\(origin.rawValue))"
    }
}
