#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Logging

/// The one way the bridge's clients call an upstream (Better Stack, Statuspage pages, Catchpoint,
/// OpenTSDB receivers): attempts, the pace, waits and `Retry-After`, observer reports, logging and
/// secret scrubbing live here once. A client builds the request, names a ``RetryPolicy`` and maps
/// the final outcome to its own errors.
///
/// Per attempt: take a turn from the pace (if any), send, report the attempt (observer and a debug
/// line under the request's logger), then decide. A 2xx, or any answer or failure the policy does
/// not retry, or the last attempt's, is final and returned as it is — the pipeline never decides
/// what a status means to the client. A paced 429 starts the deployment's cool-down: a caller with
/// a deadline (``UpstreamDeadline``) is answered at once with ``UpstreamRateLimited`` (to serve its
/// cache), one without waits its turn again, a few times, as the vendor's own client does.
public struct UpstreamPipeline: Sendable {
    public var transport: any HTTPTransport
    public var policy: RetryPolicy
    /// Waits between attempts (the one sleep seam: tests record instead of sleeping).
    public var sleep: UpstreamSleep
    /// The deployment's pace for this upstream; `nil` for unpaced upstreams.
    public var pace: UpstreamPace?
    public var observer: UpstreamObserver?
    /// The client's own logger; a request's logger takes its place while one is served.
    public var logger: Logger
    /// Keeps the client's secrets out of everything it logs and every error text it builds.
    public var scrubber: SecretScrubber
    /// Wall-clock milliseconds, for `Retry-After` HTTP-dates.
    public var nowMilliseconds: @Sendable () -> Int64
    public var unitRandom: @Sendable () -> Double

    /// Further turns after a paced 429 for a caller without a deadline (the vendor's client retries
    /// a 429 four times).
    public static let pacedRateLimitRetries = 4

    public static let taskSleep: UpstreamSleep = { try await Task.sleep(for: $0) }
    public static let systemNowMilliseconds: @Sendable () -> Int64 = {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }

    public init(
        transport: any HTTPTransport,
        policy: RetryPolicy,
        sleep: @escaping UpstreamSleep = UpstreamPipeline.taskSleep,
        pace: UpstreamPace? = nil,
        observer: UpstreamObserver? = nil,
        logger: Logger,
        secrets: [Secret] = [],
        nowMilliseconds: @escaping @Sendable () -> Int64 = UpstreamPipeline.systemNowMilliseconds,
        unitRandom: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.transport = transport
        self.policy = policy
        self.sleep = sleep
        self.pace = pace
        self.observer = observer
        self.logger = logger
        self.scrubber = SecretScrubber(secrets)
        self.nowMilliseconds = nowMilliseconds
        self.unitRandom = unitRandom
    }

    /// How the last attempt ended.
    public enum Outcome: Sendable {
        case response(HTTPTransportResponse)
        case failure(HTTPTransportError)
    }

    /// The final outcome and how many attempts it took.
    public struct Result: Sendable {
        public var outcome: Outcome
        public var attempts: Int
    }

    /// Where attempts are logged: the request's logger when serving one, else the client's.
    public var log: Logger { .requestScoped(or: logger) }

    /// Sends `request` as the policy allows and returns the final outcome (a response of any
    /// status, or the transport's failure). Throws only `CancellationError`, ``PaceRefusal`` (the
    /// pace refused a turn) and ``UpstreamRateLimited`` (a paced 429 for a caller with a deadline).
    ///
    /// `endpoint` names the call in reports and logs.
    public func send(_ request: HTTPTransportRequest, endpoint: String) async throws -> Result {
        let shownURL = scrubber.scrub(URLRedaction.redact(request.url))
        let attempts = max(1, policy.maxAttempts)
        var attempt = 0
        var pacedRetriesLeft = Self.pacedRateLimitRetries
        while true {
            attempt += 1
            try Task.checkCancellation()
            if let pace {
                do {
                    try await pace.acquire()
                } catch let refusal as PaceRefusal {
                    log.debug("upstream call refused by the pace", metadata: ["endpoint": "\(endpoint)", "reason": "\(refusal)"])
                    throw refusal
                }
            }
            let started = ContinuousClock.now
            let outcome: Outcome
            do {
                outcome = .response(try await transport.send(request))
            } catch let failure as HTTPTransportError {
                outcome = .failure(failure)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                outcome = .failure(.other(String(describing: error)))
            }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let isLast = attempt >= attempts

            switch outcome {
            case .failure(let failure):
                report(endpoint, request.method, .transportError(kind: failure.kind), seconds, attempt, shownURL)
                guard policy.retries(failure), !isLast else { return Result(outcome: outcome, attempts: attempt) }
                try await wait(policy.delay(afterAttempt: attempt, unitRandom: unitRandom()), endpoint, attempt, failure.kind)

            case .response(let response):
                report(endpoint, request.method, .status(response.status), seconds, attempt, shownURL)
                let retryAfter = response.headers["Retry-After"].flatMap {
                    RetryAfter.parse($0, nowMilliseconds: nowMilliseconds())
                }
                if (200..<300).contains(response.status) {
                    pace?.succeeded()
                    return Result(outcome: outcome, attempts: attempt)
                }
                if response.status == 429, let pace {
                    let coolDown = pace.rateLimited(retryAfter: retryAfter)
                    log.warning(
                        "upstream answered 429; cooling down",
                        metadata: ["endpoint": "\(endpoint)", "cool_down_s": "\(coolDown.components.seconds)"]
                    )
                    // A caller with a deadline is answered now (from its cache, where that holds
                    // anything); one without waits the cool-down out in `acquire`, a few times.
                    guard UpstreamDeadline.current == nil, pacedRetriesLeft > 0 else {
                        throw UpstreamRateLimited(retryAfter: coolDown)
                    }
                    pacedRetriesLeft -= 1
                    attempt -= 1
                    continue
                }
                guard policy.retries(status: response.status, hasRetryAfter: retryAfter != nil), !isLast else {
                    return Result(outcome: outcome, attempts: attempt)
                }
                let delay = policy.delay(
                    afterAttempt: attempt,
                    status: response.status,
                    retryAfter: retryAfter,
                    unitRandom: unitRandom()
                )
                try await wait(delay, endpoint, attempt, "HTTP \(response.status)")
            }
        }
    }

    private func report(
        _ endpoint: String,
        _ method: String,
        _ outcome: UpstreamEvent.Outcome,
        _ seconds: Double,
        _ attempt: Int,
        _ shownURL: String
    ) {
        let event = UpstreamEvent(endpoint: endpoint, method: method, outcome: outcome, durationSeconds: seconds, attempt: attempt)
        observer?(event)
        log.debug(
            "upstream attempt",
            metadata: [
                "endpoint": "\(endpoint)",
                "method": "\(method)",
                "url": "\(shownURL)",
                "outcome": "\(event.outcomeLabel)",
                "attempt": "\(attempt)",
                "duration_ms": "\(Int((seconds * 1000).rounded()))",
            ]
        )
    }

    private func wait(_ delay: Duration, _ endpoint: String, _ attempt: Int, _ reason: String) async throws {
        log.notice(
            "retrying upstream request",
            metadata: ["endpoint": "\(endpoint)", "after_attempt": "\(attempt)", "reason": "\(scrubber.scrub(reason))", "wait": "\(delay)"]
        )
        try await sleep(delay)
    }
}

/// A paced upstream answered 429 and the caller has a deadline: the deployment's cool-down has
/// started, and the caller should answer from what it has.
public struct UpstreamRateLimited: Error, Sendable {
    /// The cool-down.
    public var retryAfter: Duration
}
