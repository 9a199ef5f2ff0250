/// What a heartbeat ping reports.
public enum HeartbeatOutcome: Sendable, Hashable {
    /// The job succeeded: `/api/v1/heartbeat/<token>`.
    case success
    /// The job failed: `/api/v1/heartbeat/<token>/fail`.
    case failure
    /// The job's exit code: `/api/v1/heartbeat/<token>/<code>` (0 is success).
    case exitCode(Int32)

    /// The path suffix after the token.
    var pathSuffix: String {
        switch self {
        case .success: ""
        case .failure: "/fail"
        case .exitCode(let code): "/\(code)"
        }
    }
}
