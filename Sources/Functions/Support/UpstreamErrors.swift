import BetterStack
import FastCGIRuntime
import TTLCache

/// Turns what can go wrong reading Better Stack into the answer a dashboard should get.
///
/// The upstream's own text is only passed on for 400s (e.g. an invalid date range); other failures
/// are described in operator terms. No message carries a secret: the client scrubs them.
enum UpstreamErrors {
    static func httpError(for error: any Error) -> HTTPError {
        switch error {
        case let error as HTTPError:
            return error
        case let notFound as MonitorNotFound:
            let (name, value) = notFound.selector.parameter
            return HTTPError(404, "no monitor with \(name) \(value)", extra: [(name, .string(value))])
        case let error as BetterStackError:
            switch error {
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
                return HTTPError(502, "Better Stack failed: \(error.kind)", extra: [("upstream", .string("betterstack"))])
            }
        case is LoadNotAdmitted:
            return RequestLimits.budgetRefusal(RequestBudget.current?.limits ?? RequestLimits())
        case is CancellationError:
            return HTTPError(503, "request cancelled")
        default:
            return HTTPError(502, "upstream failure", extra: [("upstream", .string("betterstack"))])
        }
    }

    /// Runs `body`, mapping upstream failures to HTTP errors.
    static func mapping<T>(_ body: () async throws -> T) async throws(HTTPError) -> T {
        do {
            return try await body()
        } catch {
            throw httpError(for: error)
        }
    }
}
