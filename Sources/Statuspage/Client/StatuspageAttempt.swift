/// One HTTP attempt against a status page, reported to an observer so that a metrics layer can
/// count upstream requests by outcome without this module knowing Prometheus.
public struct StatuspageAttempt: Sendable, Hashable {
    /// How the attempt ended.
    public enum Outcome: Sendable, Hashable {
        /// An HTTP response with this status arrived.
        case status(Int)
        /// No complete response.
        case transportError(StatuspageTransportError.Kind)
    }

    /// The URL asked for (a public status page; no secret in it).
    public var url: String
    /// Status or error kind.
    public var outcome: Outcome
    /// Wall time of the attempt, seconds.
    public var durationSeconds: Double
    /// 1 for the first attempt, 2 for the first retry, …
    public var attempt: Int

    public init(url: String, outcome: Outcome, durationSeconds: Double, attempt: Int) {
        self.url = url
        self.outcome = outcome
        self.durationSeconds = durationSeconds
        self.attempt = attempt
    }

    /// The outcome as a metric label: the status code (`"200"`) or the error kind (`"timeout"`).
    public var outcomeLabel: String {
        switch outcome {
        case .status(let code): String(code)
        case .transportError(let kind): kind.rawValue
        }
    }
}

/// Receives one ``StatuspageAttempt`` per HTTP attempt. Called on the probing task; keep it cheap.
public typealias StatuspageObserver = @Sendable (StatuspageAttempt) -> Void
