#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Logging

/// Sends one logical request with retries, maps failures to ``BetterStackError``, reports every
/// attempt to the observer and the logger, and keeps secrets out of both.
///
/// Shared by the Uptime API client, the heartbeat pinger and the Logs client.
struct RequestExecutor: Sendable {
    let transport: any HTTPTransport
    let retryPolicy: RetryPolicy
    let timeout: Duration
    let userAgent: String
    let logger: Logger
    let observer: UpstreamObserver?
    let sleep: RetrySleep
    let scrubber: SecretScrubber
    /// Wall-clock milliseconds, for `Retry-After` HTTP-dates.
    let nowMilliseconds: @Sendable () -> Int64
    let unitRandom: @Sendable () -> Double
    /// The deployment's pace for this upstream (nil: unpaced, e.g. heartbeat pings and Logs).
    var pace: UpstreamPace? = nil
    /// Further attempts after a 429 for callers without a deadline (the vendor's client makes four).
    static let rateLimitRetries = 4

    /// The sleep used when none is injected.
    static let taskSleep: RetrySleep = { duration in
        try await Task.sleep(for: duration)
    }

    static let systemNowMilliseconds: @Sendable () -> Int64 = {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }

    /// Performs the request; returns only 2xx responses, throws ``BetterStackError`` (or
    /// `CancellationError`) otherwise.
    func perform(
        endpoint: String,
        method: String,
        url: String,
        headers: HTTPTransportHeaders,
        body: [UInt8]? = nil
    ) async throws -> HTTPTransportResponse {
        var allHeaders = headers
        allHeaders.replaceOrAdd(name: "User-Agent", value: userAgent)
        let request = HTTPTransportRequest(method: method, url: url, headers: allHeaders, body: body, timeout: timeout)
        let shownURL = scrubber.scrub(URLRedaction.redact(url))
        let attempts = max(1, retryPolicy.maxAttempts)
        var attempt = 0
        var rateLimitRetriesLeft = Self.rateLimitRetries
        while true {
            attempt += 1
            try Task.checkCancellation()
            if let pace {
                // Every HTTP call takes its turn; one refused (its turn would come after the caller's
                // deadline, or a 429 cool-down is running) is a rate-limit answer the cache can
                // stand in for.
                do {
                    try await pace.acquire()
                } catch let refusal as PaceRefusal {
                    logger.debug(
                        "upstream call refused by the pace",
                        metadata: ["endpoint": "\(endpoint)", "reason": "\(refusal)"]
                    )
                    throw BetterStackError.rateLimited(retryAfter: refusal.retryAfter)
                }
            }
            let started = ContinuousClock.now
            let result: Result<HTTPTransportResponse, HTTPTransportError>
            do {
                result = .success(try await transport.send(request))
            } catch let error as HTTPTransportError {
                result = .failure(error)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                result = .failure(.other(String(describing: error)))
            }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let isLast = attempt >= attempts

            switch result {
            case .failure(let error):
                report(endpoint, method, .transportError(kind: error.kind), seconds, attempt, shownURL)
                if error.isRetryable, !isLast {
                    try await wait(
                        retryPolicy.backoff(afterAttempt: attempt, unitRandom: unitRandom()),
                        endpoint,
                        attempt
                    )
                    continue
                }
                throw map(error)

            case .success(let response):
                report(endpoint, method, .status(response.status), seconds, attempt, shownURL)
                switch response.status {
                case 200..<300:
                    pace?.succeeded()
                    return response
                case 429 where pace != nil:
                    let requested = response.headers["Retry-After"].flatMap {
                        RetryAfter.parse($0, nowMilliseconds: nowMilliseconds())
                    }
                    let coolDown = pace!.rateLimited(retryAfter: requested)
                    logger.warning(
                        "Better Stack answered 429; cooling down",
                        metadata: ["endpoint": "\(endpoint)", "cool_down_s": "\(coolDown.components.seconds)"]
                    )
                    // A caller with a deadline is answered now (from the cache, where it holds
                    // anything); one without waits the cool-down out in `acquire`, as the vendor's
                    // own client does, a few times.
                    guard UpstreamDeadline.current == nil, rateLimitRetriesLeft > 0 else {
                        throw BetterStackError.rateLimited(retryAfter: coolDown)
                    }
                    rateLimitRetriesLeft -= 1
                    attempt -= 1
                case 429:
                    let requested = response.headers["Retry-After"].flatMap {
                        RetryAfter.parse($0, nowMilliseconds: nowMilliseconds())
                    }
                    if isLast {
                        throw BetterStackError.rateLimited(retryAfter: requested)
                    }
                    let delay =
                        requested.map(retryPolicy.cappedRetryAfter)
                        ?? retryPolicy.backoff(afterAttempt: attempt, unitRandom: unitRandom())
                    try await wait(delay, endpoint, attempt)
                case 500..<600 where !isLast:
                    try await wait(
                        retryPolicy.backoff(afterAttempt: attempt, unitRandom: unitRandom()),
                        endpoint,
                        attempt
                    )
                default:
                    throw map(status: response.status, body: response.body)
                }
            }
        }
    }

    /// Decodes a success body, mapping failures to ``BetterStackError/undecodableBody(_:)``.
    func decode<T: Decodable>(_ type: T.Type, from response: HTTPTransportResponse, endpoint: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(response.body))
        } catch {
            let detail = scrubber.scrub(Self.describe(decodingError: error, body: response.body))
            logger.debug(
                "undecodable upstream body",
                metadata: ["endpoint": "\(endpoint)", "detail": "\(detail)"]
            )
            throw BetterStackError.undecodableBody(detail)
        }
    }

    // MARK: - Mapping

    func map(_ error: HTTPTransportError) -> BetterStackError {
        switch error {
        case .timeout: .timeout
        default: .transport(scrubber.scrub(error.description))
        }
    }

    func map(status: Int, body: [UInt8]) -> BetterStackError {
        let parsed = UpstreamErrorBody.parse(body)
        let message = parsed.message.map(scrubber.scrub)
        let fields = parsed.fields.mapValues { $0.map(scrubber.scrub) }
        switch status {
        case 401:
            return .unauthorized(message ?? "invalid or missing API token (HTTP 401)")
        case 404:
            return .notFound(message ?? "resource not found (HTTP 404)")
        case 400:
            return .badRequest(message ?? "bad request (HTTP 400)")
        case 422:
            return .validationFailed(message: message ?? "validation failed (HTTP 422)", fields: fields)
        case 429:
            return .rateLimited(retryAfter: nil)
        default:
            return .upstreamStatus(status, message)
        }
    }

    static func describe(decodingError error: any Error, body: [UInt8]) -> String {
        let reason: String
        switch error {
        case DecodingError.dataCorrupted(let context):
            reason = context.codingPath.isEmpty ? "not valid JSON" : "bad value at \(path(context.codingPath))"
        case DecodingError.keyNotFound(let key, let context):
            reason = "missing \"\(key.stringValue)\" at \(path(context.codingPath))"
        case DecodingError.typeMismatch(_, let context):
            reason = "unexpected type at \(path(context.codingPath))"
        case DecodingError.valueNotFound(_, let context):
            reason = "null at \(path(context.codingPath))"
        default:
            reason = "cannot decode"
        }
        let preview = String(decoding: body.prefix(60), as: UTF8.self)
            .unicodeScalars.map { $0.properties.generalCategory == .control ? " " : String($0) }.joined()
        return "\(reason) (\(body.count) bytes, starting \"\(preview)\(body.count > 60 ? "…" : "")\")"
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.isEmpty
            ? "top level" : codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    // MARK: - Reporting

    private func report(
        _ endpoint: String,
        _ method: String,
        _ outcome: UpstreamEvent.Outcome,
        _ seconds: Double,
        _ attempt: Int,
        _ shownURL: String
    ) {
        let event = UpstreamEvent(
            endpoint: endpoint,
            method: method,
            outcome: outcome,
            durationSeconds: seconds,
            attempt: attempt
        )
        observer?(event)
        logger.debug(
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

    private func wait(_ delay: Duration, _ endpoint: String, _ attempt: Int) async throws {
        logger.debug(
            "retrying upstream request",
            metadata: ["endpoint": "\(endpoint)", "after_attempt": "\(attempt)", "wait": "\(delay)"]
        )
        try await sleep(delay)
    }
}
