/// Why points could not be written. Descriptions are one line and never contain credentials.
public enum OpenTSDBError: Error, Sendable, CustomStringConvertible {
    /// No HTTP answer after every attempt (refused, reset, timed out).
    case unreachable(url: String, reason: String, attempts: Int)
    /// The receiver answered with a status that does not acknowledge the points.
    case httpStatus(Int, bodyExcerpt: String, url: String, attempts: Int)
    /// Points were refused (see ``WriteSummary/requireAllAccepted()``).
    case rejectedPoints([RejectedPoint], unidentified: Int)
    /// The writer's configuration cannot work.
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .unreachable(let url, let reason, let attempts):
            return "OpenTSDB receiver \(url) unreachable after \(Self.tries(attempts)): \(reason)"
        case .httpStatus(let status, let excerpt, let url, let attempts):
            let retried = attempts > 1 ? " (after \(Self.tries(attempts)))" : ""
            return "OpenTSDB receiver \(url) answered HTTP \(status)\(retried)"
                + (excerpt.isEmpty ? "" : ": \(excerpt)")
        case .rejectedPoints(let points, let unidentified):
            let count = points.count + unidentified
            let first = points.first.map { "; first: \($0)" } ?? ""
            return "\(count) point\(count == 1 ? "" : "s") refused\(first)"
        case .invalidConfiguration(let reason):
            return "invalid OpenTSDB configuration: \(reason)"
        }
    }

    private static func tries(_ count: Int) -> String { count == 1 ? "1 attempt" : "\(count) attempts" }
}
