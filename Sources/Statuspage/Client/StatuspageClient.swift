import AsyncHTTPClient
import Logging
import UpstreamHTTP

/// Fetches a page's `summary.json` the way statuspage-prometheus-exporter 2.6.0 does — one GET
/// with a 15 s timeout, up to 3 retries on 500/502/503/504 and on timeouts or connection errors
/// (no wait, then 1 s, then 2 s) — and reports a ``StatuspageProbe``: never throws, a failure
/// is an outcome like any other.
///
/// Any status of 400 or more fails the probe, as the exporter's `raise_for_status()` does; a
/// 2xx or 3xx answer must carry a JSON object. 413, 429 and 503 with `Retry-After` are retried
/// after that wait (capped), as urllib3 does for the exporter.
///
/// The default transport is the bridge's fail-fast client (``AsyncHTTPClientTransport/bridgeDefault``):
/// a page refusing connections fails at once instead of waiting out the timeout on every attempt.
public struct StatuspageClient: Sendable {
    /// Timeouts, retries and identification.
    public struct Configuration: Sendable {
        /// Per attempt.
        public var timeout: Duration
        public var retryPolicy: RetryPolicy
        /// `User-Agent` sent to the page.
        public var userAgent: String
        /// Bodies larger than this fail the probe instead of filling memory (a large real page's
        /// summary is tens of kilobytes).
        public var maxBodyBytes: Int

        public init(
            timeout: Duration = .seconds(15),
            retryPolicy: RetryPolicy = .statuspageExporter,
            userAgent: String = "uptime-bridge (statuspage-prometheus-exporter compatible)",
            maxBodyBytes: Int = 8 * 1024 * 1024
        ) {
            self.timeout = timeout
            self.retryPolicy = retryPolicy
            self.userAgent = userAgent
            self.maxBodyBytes = maxBodyBytes
        }
    }

    private let transport: any HTTPTransport
    private let configuration: Configuration
    private let logger: Logger
    private let observer: UpstreamObserver?
    private let sleep: UpstreamSleep

    /// A client over `transport` (AsyncHTTPClient's shared client by default); `observer` is
    /// called once per HTTP attempt, e.g. to count upstream requests, with the page's summary URL
    /// as the event's endpoint.
    public init(
        transport: any HTTPTransport = AsyncHTTPClientTransport.bridgeDefault,
        configuration: Configuration = Configuration(),
        logger: Logger,
        observer: UpstreamObserver? = nil,
        sleep: @escaping UpstreamSleep = UpstreamPipeline.taskSleep
    ) {
        self.transport = transport
        self.configuration = configuration
        self.logger = logger
        self.observer = observer
        self.sleep = sleep
    }

    /// Probes a configured service at its ``StatuspageService/summaryURL``.
    public func probe(_ service: StatuspageService) async -> StatuspageProbe {
        await fetchSummary(url: service.summaryURL)
    }

    /// GETs `url` (a full `…/api/v2/summary.json` URL) and decodes the summary.
    public func fetchSummary(url: String) async -> StatuspageProbe {
        let clock = ContinuousClock()
        let start = clock.now
        func seconds() -> Double {
            let elapsed = clock.now - start
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        }
        let request = HTTPTransportRequest(
            method: "GET",
            url: url,
            headers: [("User-Agent", configuration.userAgent), ("Accept", "application/json")],
            timeout: configuration.timeout,
            maxResponseBytes: configuration.maxBodyBytes
        )
        let pipeline = UpstreamPipeline(
            transport: transport,
            policy: configuration.retryPolicy,
            sleep: sleep,
            observer: observer,
            logger: logger
        )
        let result: UpstreamPipeline.Result
        do {
            result = try await pipeline.send(request, endpoint: url)
        } catch {
            // Cancelled (the scrape's budget is spent): a failure like any other.
            let failure = StatuspageProbeFailure(.transport(.connection), detail: "cancelled")
            return logged(.failure(failure, url: url, responseTimeSeconds: seconds()))
        }
        switch result.outcome {
        case .failure(let error):
            let failure = StatuspageTransportError(error)
            return logged(
                .failure(StatuspageProbeFailure(.transport(failure.kind), detail: failure.detail), url: url, responseTimeSeconds: seconds())
            )
        case .response(let response) where response.status >= 400:
            let failure = StatuspageProbeFailure(.httpStatus(response.status), detail: "status \(response.status)")
            return logged(.failure(failure, url: url, responseTimeSeconds: seconds()))
        case .response(let response):
            let responseTime = seconds()
            do {
                let summary = try StatuspageSummary(json: response.body)
                return .success(summary, url: url, responseTimeSeconds: responseTime)
            } catch {
                return logged(
                    .failure(StatuspageProbeFailure(.invalidJSON, detail: "\(error)"), url: url, responseTimeSeconds: responseTime)
                )
            }
        }
    }

    private func logged(_ probe: StatuspageProbe) -> StatuspageProbe {
        if case .failure(let failure) = probe.result {
            Logger.requestScoped(or: logger).warning("statuspage probe failed", metadata: ["url": "\(probe.url)", "failure": "\(failure)"])
        }
        return probe
    }
}
