import BetterStack
import FastCGIRuntime
import TTLCache

/// What can go wrong reading Better Stack, as the answer a dashboard should get. The errors carry
/// their answer (``HTTPResponseError``); the router and the request limits render them, so a
/// function just lets them through.
///
/// The upstream's own text is only passed on for 400s (e.g. an invalid date range); other failures
/// are described in operator terms. No message carries a secret: the client scrubs them.
extension BetterStackError: HTTPResponseError {
    public var httpError: HTTPError {
        switch self {
        case .badRequest(let message):
            return HTTPError(400, "Better Stack rejected the request: \(message)")
        case .notFound:
            return HTTPError(404, "Better Stack has no such resource")
        case .unauthorized:
            return HTTPError(502, "Better Stack refused the configured API token", extra: [("upstream", .string("betterstack"))])
        case .rateLimited(let retryAfter):
            var headers = Headers()
            if let retryAfter { headers.add("Retry-After", String(max(1, retryAfter.components.seconds))) }
            return HTTPError(503, "Better Stack rate limit reached; try again later", headers: headers)
        case .timeout:
            return HTTPError(504, "Better Stack did not answer in time", extra: [("upstream", .string("betterstack"))])
        case .invalidConfiguration:
            return HTTPError(503, "Better Stack is not configured")
        case .transport, .undecodableBody, .upstreamStatus, .validationFailed, .payloadTooLarge:
            return HTTPError(502, "Better Stack failed: \(kind)", extra: [("upstream", .string("betterstack"))])
        }
    }
}

extension MonitorNotFound: HTTPResponseError {
    public var httpError: HTTPError {
        let (name, value) = selector.parameter
        return HTTPError(404, "no monitor with \(name) \(value)", extra: [(name, .string(value))])
    }
}

extension LoadNotAdmitted: HTTPResponseError {
    /// The request's upstream budget is spent (``RequestLimits``).
    public var httpError: HTTPError {
        RequestLimits.budgetRefusal(RequestBudget.current?.limits ?? RequestLimits())
    }
}

enum ErrorAnswers {
    /// The answer for one failed part of a larger answer (a day of a Grafana availability series,
    /// one target's events): what the error says of itself; cancellation as 503; anything else
    /// reading upstream as a 502.
    static func httpError(for error: any Error) -> HTTPError {
        switch error {
        case let answer as any HTTPResponseError: answer.httpError
        case is CancellationError: HTTPError(503, "request cancelled")
        default: HTTPError(502, "upstream failure", extra: [("upstream", .string("betterstack"))])
        }
    }
}
