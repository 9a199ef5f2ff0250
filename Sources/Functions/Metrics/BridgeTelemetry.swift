import BetterStack
import FastCGIRuntime
import Prometheus
import Statuspage
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The bridge's own request and upstream metrics, in swift-prometheus' registry.
///
/// One registry per process: a FastCGI worker counts the requests it served and the upstream
/// calls it made since it started. Under a master, the worker restarts and reloads are the
/// master's, read from its status file, so every worker reports the same values. Under CGI every
/// process serves one request, so these counters only ever show that request (point Prometheus at a
/// FastCGI worker).
public final class BridgeTelemetry: Sendable {
    /// Where the counters and histograms live; `GET /metrics` emits it.
    public let registry: PrometheusCollectorRegistry
    /// When this process started counting, Unix seconds (counters reset with it).
    public let startTime: Double
    /// Whether the latest HTTP attempt to each upstream failed.
    private let lastAttemptFailures = Mutex<[String: Bool]>([:])
    /// The error reporter of this process, when `errors.dsn` is set (its counters go in `/metrics`).
    private let errorReporterBox = Mutex<ErrorReporter?>(nil)

    /// Makes `reporter`'s counters part of `/metrics`.
    public func attach(errorReporter reporter: ErrorReporter) {
        errorReporterBox.withLock { $0 = reporter }
    }

    var errorReporter: ErrorReporter? { errorReporterBox.withLock { $0 } }
    /// The master's counters (workers, restarts, reloads) when this process is one of its workers;
    /// nil for a single process or a CGI invocation.
    public let supervisor: SupervisorStatusFile?

    static let requestBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
        .seconds(10),
    ]
    static let upstreamBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
    ]

    public init(
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        supervisor: SupervisorStatusFile? = SupervisorStatusFile.inherited
    ) {
        self.registry = registry
        self.supervisor = supervisor
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        self.startTime = Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    // MARK: - Requests

    /// The hook for ``FastCGIServer``: counts each answered request under its route path, or
    /// `unmatched` for paths that are no function (so that scanners cannot grow the label set).
    public func requestObserver(functions: [String]) -> RequestObserver {
        let known = Set(functions)
        return { path, status, seconds in
            let route = Self.routePath(path)
            self.recordRequest(function: known.contains(route) ? route : "unmatched", status: status, seconds: seconds)
        }
    }

    public func recordRequest(function: String, status: Int, seconds: Double) {
        registry.makeCounter(
            descriptor: Self.requestsTotal,
            labels: [("function", function), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.requestDuration,
            labels: [("function", function)],
            buckets: Self.requestBuckets
        ).record(.seconds(max(0, seconds)))
    }

    // MARK: - Upstreams

    /// The hook for ``BetterStackClient``: one count per HTTP attempt.
    public var betterStackObserver: UpstreamObserver { observer(upstream: "betterstack") }

    /// The hook for ``StatuspageClient``: one count per HTTP attempt, every page under the endpoint
    /// `summary` (a page's URL as a label value would let the series grow with the configuration).
    public var statuspageObserver: UpstreamObserver { observer(upstream: "statuspage", endpoint: "summary") }

    private func observer(upstream: String, endpoint fixed: String? = nil) -> UpstreamObserver {
        { event in
            var failed = true
            if case .status(let status) = event.outcome { failed = Self.isFailure(status: status) }
            self.recordUpstream(
                upstream,
                endpoint: fixed ?? event.endpoint,
                outcome: event.outcomeLabel,
                seconds: event.durationSeconds,
                failed: failed
            )
        }
    }

    /// An upstream that answers 5xx, 429, 401 or 403 is failing (or refusing us); a 400 or 404
    /// about one request is an answer.
    static func isFailure(status: Int) -> Bool {
        status >= 500 || status == 429 || status == 401 || status == 403
    }

    /// Whether the latest HTTP attempt to `upstream` failed (false when there was none).
    func lastAttemptFailed(upstream: String) -> Bool {
        lastAttemptFailures.withLock { $0[upstream] ?? false }
    }

    public func recordUpstream(_ upstream: String, endpoint: String, outcome: String, seconds: Double, failed: Bool) {
        lastAttemptFailures.withLock { $0[upstream] = failed }
        registry.makeCounter(
            descriptor: Self.upstreamRequestsTotal,
            labels: [("upstream", upstream), ("endpoint", endpoint), ("status", outcome)]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.upstreamDuration,
            labels: [("upstream", upstream), ("endpoint", endpoint)],
            buckets: Self.upstreamBuckets
        ).record(.seconds(max(0, seconds)))
    }

    /// A scrape served the last known values of `upstream` because it did not answer in time.
    func recordScrapeTimeout(upstream: String) {
        registry.makeCounter(descriptor: Self.scrapeTimeoutsTotal, labels: [("upstream", upstream)]).increment()
    }

    /// An answer that left out parts it could not load (availability periods), by function.
    func recordPartialAnswer(function: String, missing: Int) {
        registry.makeCounter(descriptor: Self.partialAnswersTotal, labels: [("function", function)]).increment()
        registry.makeCounter(descriptor: Self.missingPartsTotal, labels: [("function", function)]).increment(by: Int64(missing))
    }

    // MARK: - Names

    static var partialAnswersTotal: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "uptime_bridge",
            metricName: "partial_answers",
            unitName: "total",
            helpText: "Answers that left out parts whose upstream call failed (X-Uptime-Bridge-Partial), by function"
        )
    }
    static var missingPartsTotal: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "uptime_bridge",
            metricName: "missing_parts",
            unitName: "total",
            helpText: "Parts (availability periods) left out of partial answers, by function"
        )
    }

    static var requestsTotal: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "uptime_bridge",
            metricName: "requests",
            unitName: "total",
            helpText: "Requests answered by this process, by function (route path, or unmatched) and HTTP status"
        )
    }
    static var requestDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "uptime_bridge",
            metricName: "request_duration",
            unitName: "seconds",
            helpText: "Time from accepting a request to finishing its answer, by function"
        )
    }
    static var upstreamRequestsTotal: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "uptime_bridge",
            metricName: "upstream_requests",
            unitName: "total",
            helpText:
                "HTTP attempts to upstreams by this process, by upstream, endpoint and status (or transport error)"
        )
    }
    static var upstreamDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "uptime_bridge",
            metricName: "upstream_request_duration",
            unitName: "seconds",
            helpText: "Duration of HTTP attempts to upstreams, by upstream and endpoint"
        )
    }
    static var scrapeTimeoutsTotal: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "uptime_bridge",
            metricName: "scrape_budget_exceeded",
            unitName: "total",
            helpText: "Scrapes that served last known values because the upstream did not answer within the budget"
        )
    }

    /// `/sla/` and `//sla` as the router sees them: `/sla`.
    static func routePath(_ path: String) -> String {
        guard path.utf8.count > 1 else { return "/" }
        var result = ""
        result.reserveCapacity(path.utf8.count)
        var previousSlash = false
        for character in path {
            if character == "/" {
                if previousSlash { continue }
                previousSlash = true
            } else {
                previousSlash = false
            }
            result.append(character)
        }
        while result.count > 1, result.hasSuffix("/") { result.removeLast() }
        return result.isEmpty ? "/" : result
    }
}
