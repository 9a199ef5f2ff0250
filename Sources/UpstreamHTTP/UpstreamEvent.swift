/// One HTTP attempt against an upstream, reported to an observer so that a metrics layer can
/// count upstream requests by endpoint and outcome without the clients knowing Prometheus.
public struct UpstreamEvent: Sendable, Hashable {
    /// How the attempt ended.
    public enum Outcome: Sendable, Hashable {
        /// An HTTP response with this status arrived.
        case status(Int)
        /// No HTTP response; the transport failed in this way.
        case transportError(kind: String)
    }

    /// The logical endpoint. Better Stack: `monitors`, `monitor`, `response_times`, `sla`,
    /// `incidents`, `heartbeats`, `heartbeat`, `heartbeat_availability`, `status_pages`,
    /// `status_page_resources`, `heartbeat_ping`, `logs_ingest`; a Statuspage page: its URL;
    /// OpenTSDB: `put`; Catchpoint: `token`, `raw`.
    public var endpoint: String
    /// The HTTP method.
    public var method: String
    /// Status or error kind.
    public var outcome: Outcome
    /// Wall time of the attempt, seconds.
    public var durationSeconds: Double
    /// 1 for the first attempt, 2 for the first retry, …
    public var attempt: Int

    /// The outcome as a metric label: the status code (`"200"`) or the error kind (`"timeout"`).
    public var outcomeLabel: String {
        switch outcome {
        case .status(let code): String(code)
        case .transportError(let kind): kind
        }
    }
}

/// Receives one ``UpstreamEvent`` per HTTP attempt. Called on the requesting task; keep it cheap.
public typealias UpstreamObserver = @Sendable (UpstreamEvent) -> Void

/// Waits between retries: the one sleep seam of every client (tests record the waits instead).
public typealias UpstreamSleep = @Sendable (Duration) async throws -> Void
