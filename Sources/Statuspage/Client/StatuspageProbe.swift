/// The outcome of one GET of a page's `summary.json`, as the exporter needs it: did the probe
/// succeed, how long did it take, and what did the page say.
public struct StatuspageProbe: Sendable {
    /// The URL fetched.
    public var url: String
    /// From sending the request (first attempt) to having the whole body of the last one:
    /// retries and backoff included, JSON decoding excluded, as the exporter measures.
    public var responseTimeSeconds: Double
    /// The decoded summary, or why there is none.
    public var result: Result<StatuspageSummary, StatuspageProbeFailure>

    public init(url: String, responseTimeSeconds: Double, result: Result<StatuspageSummary, StatuspageProbeFailure>) {
        self.url = url
        self.responseTimeSeconds = responseTimeSeconds
        self.result = result
    }

    /// A successful probe of `summary`.
    public static func success(_ summary: StatuspageSummary, url: String = "", responseTimeSeconds: Double) -> Self {
        StatuspageProbe(url: url, responseTimeSeconds: responseTimeSeconds, result: .success(summary))
    }

    /// A failed probe.
    public static func failure(_ failure: StatuspageProbeFailure, url: String = "", responseTimeSeconds: Double = 0)
        -> Self
    {
        StatuspageProbe(url: url, responseTimeSeconds: responseTimeSeconds, result: .failure(failure))
    }

    /// Whether the page answered with a summary.
    public var succeeded: Bool {
        if case .success = result { return true }
        return false
    }

    /// The summary, when the probe succeeded.
    public var summary: StatuspageSummary? { try? result.get() }
}

/// Why a probe has no summary. Every one of these is a failed probe for the exporter
/// (`statuspage_probe_check` 0 unless an earlier answer stands in).
public struct StatuspageProbeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The page answered 4xx or 5xx (after retries, for the retried ones).
        case httpStatus(Int)
        /// No complete response (see ``StatuspageTransportError``).
        case transport(StatuspageTransportError.Kind)
        /// The body is not a JSON object.
        case invalidJSON
    }

    public var reason: Reason
    /// Human-readable detail for logs; never contains a secret (public pages need none).
    public var detail: String

    public init(_ reason: Reason, detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String {
        switch reason {
        case .httpStatus(let status): "HTTP \(status): \(detail)"
        case .transport(let kind): "\(kind.rawValue): \(detail)"
        case .invalidJSON: "invalid JSON: \(detail)"
        }
    }
}
