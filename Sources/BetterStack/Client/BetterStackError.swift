/// Everything that can go wrong talking to Better Stack, in operator terms.
///
/// Messages come from the upstream's `errors` field where there is one. No case ever carries a
/// token: upstream text is scrubbed of known secrets and URLs are redacted before they get here.
public enum BetterStackError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 401 (403 for Logs): the token is missing, wrong or lacks access.
    case unauthorized(String)
    /// 404: no such monitor, heartbeat, status page, or unknown heartbeat token.
    case notFound(String)
    /// 400 (and 406 for Logs): e.g. an invalid SLA date range.
    case badRequest(String)
    /// 422: per-field messages (`{"errors": {"name": ["Can't be blank."]}}`) or a single message.
    case validationFailed(message: String, fields: [String: [String]])
    /// 429 still after all attempts; `retryAfter` is what the last answer asked for, if anything.
    case rateLimited(retryAfter: Duration?)
    /// 413 from Logs ingestion: the batch is too big.
    case payloadTooLarge(String)
    /// Any other non-success status (5xx after retries, 402, 403, …).
    case upstreamStatus(Int, String?)
    /// A success status whose body is not the expected JSON (truncated, HTML, wrong shape).
    case undecodableBody(String)
    /// No answer within the request timeout, after all attempts.
    case timeout
    /// The connection failed or broke, after all attempts.
    case transport(String)
    /// The client was set up wrongly (no token, malformed URL, …); raised before any request.
    case invalidConfiguration(String)

    /// A short stable name for metrics and logs (`unauthorized`, `timeout`, …).
    public var kind: String {
        switch self {
        case .unauthorized: "unauthorized"
        case .notFound: "not_found"
        case .badRequest: "bad_request"
        case .validationFailed: "validation_failed"
        case .rateLimited: "rate_limited"
        case .payloadTooLarge: "payload_too_large"
        case .upstreamStatus: "upstream_status"
        case .undecodableBody: "undecodable_body"
        case .timeout: "timeout"
        case .transport: "transport"
        case .invalidConfiguration: "invalid_configuration"
        }
    }

    public var description: String {
        switch self {
        case .unauthorized(let message):
            "Better Stack refused the credentials: \(message)"
        case .notFound(let message):
            "Better Stack: not found: \(message)"
        case .badRequest(let message):
            "Better Stack rejected the request: \(message)"
        case .validationFailed(let message, _):
            "Better Stack validation failed: \(message)"
        case .rateLimited(let retryAfter):
            "Better Stack rate limit hit" + (retryAfter.map { " (asked to retry after \($0))" } ?? "")
        case .payloadTooLarge(let message):
            "Better Stack: payload too large: \(message)"
        case .upstreamStatus(let status, let message):
            "Better Stack answered HTTP \(status)" + (message.map { ": \($0)" } ?? "")
        case .undecodableBody(let detail):
            "Better Stack sent an unreadable response: \(detail)"
        case .timeout:
            "Better Stack did not answer in time"
        case .transport(let detail):
            "Cannot reach Better Stack: \(detail)"
        case .invalidConfiguration(let detail):
            "Invalid Better Stack configuration: \(detail)"
        }
    }
}

extension BaseURL {
    /// A base URL for a Better Stack client: a refused one is a configuration error.
    static func betterStack(_ text: String, what: String) throws(BetterStackError) -> BaseURL {
        do throws(BaseURLError) {
            return try BaseURL(text, what: what)
        } catch {
            throw .invalidConfiguration(error.reason)
        }
    }
}
