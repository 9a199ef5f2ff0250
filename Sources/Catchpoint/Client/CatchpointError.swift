/// Why a Catchpoint call failed. Descriptions are one line and never contain the client id,
/// the client secret or a token: upstream messages are scrubbed of them before they get here.
public enum CatchpointError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The token endpoint refused the credentials.
    case authenticationFailed(status: Int, message: String)
    /// The API called the access token invalid (`{"Message": "Invalid token"}`).
    case invalidToken(message: String)
    /// The API still called a freshly renewed token expired.
    case tokenExpiredAfterRenewal
    /// No HTTP answer after every attempt.
    case unreachable(url: String, reason: String, attempts: Int)
    /// An unexpected HTTP status.
    case httpStatus(Int, bodyExcerpt: String, url: String)
    /// A 2xx answer that is not the expected JSON.
    case invalidResponse(url: String, reason: String)
    /// The configuration cannot work.
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .authenticationFailed(let status, let message):
            "Catchpoint authentication failed (HTTP \(status))" + (message.isEmpty ? "" : ": \(message)")
        case .invalidToken(let message):
            "Catchpoint refused the access token: \(message)"
        case .tokenExpiredAfterRenewal:
            "Catchpoint called a freshly renewed access token expired"
        case .unreachable(let url, let reason, let attempts):
            "Catchpoint \(url) unreachable after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(reason)"
        case .httpStatus(let status, let excerpt, let url):
            "Catchpoint \(url) answered HTTP \(status)" + (excerpt.isEmpty ? "" : ": \(excerpt)")
        case .invalidResponse(let url, let reason):
            "Catchpoint \(url) sent an unreadable answer: \(reason)"
        case .invalidConfiguration(let reason):
            "invalid Catchpoint configuration: \(reason)"
        }
    }
}
