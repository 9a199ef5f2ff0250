#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Logging

/// Better Stack's side of ``UpstreamPipeline``: builds each request (User-Agent, timeout), sends it
/// through the pipeline with the configured ``RetryPolicy`` and the deployment's pace, and maps the
/// final outcome to ``BetterStackError``; the token never reaches an error or a log.
///
/// Shared by the Uptime API client, the heartbeat pinger and the Logs client.
struct RequestExecutor: Sendable {
    var pipeline: UpstreamPipeline
    let timeout: Duration
    let userAgent: String

    init(
        transport: any HTTPTransport,
        retryPolicy: RetryPolicy,
        timeout: Duration,
        userAgent: String,
        logger: Logger,
        observer: UpstreamObserver?,
        sleep: @escaping UpstreamSleep,
        secrets: [Secret],
        pace: UpstreamPace? = nil
    ) {
        pipeline = UpstreamPipeline(
            transport: transport,
            policy: retryPolicy,
            sleep: sleep,
            pace: pace,
            observer: observer,
            logger: logger,
            secrets: secrets
        )
        self.timeout = timeout
        self.userAgent = userAgent
    }

    var scrubber: SecretScrubber { pipeline.scrubber }
    /// Where the client logs: the request's logger when serving one, else the client's.
    var log: Logger { pipeline.log }

    /// The same executor, additionally scrubbing these secrets from errors and logs.
    func scrubbing(_ secrets: [Secret]) -> RequestExecutor {
        var copy = self
        copy.pipeline.scrubber = SecretScrubber(secrets)
        return copy
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
        let result: UpstreamPipeline.Result
        do {
            result = try await pipeline.send(request, endpoint: endpoint)
        } catch let refusal as PaceRefusal {
            // Its turn would come after the caller's deadline, or a cool-down is running: a
            // rate-limit answer the cache can stand in for.
            throw BetterStackError.rateLimited(retryAfter: refusal.retryAfter)
        } catch let limited as UpstreamRateLimited {
            throw BetterStackError.rateLimited(retryAfter: limited.retryAfter)
        }
        switch result.outcome {
        case .failure(let failure):
            throw map(failure)
        case .response(let response) where (200..<300).contains(response.status):
            return response
        case .response(let response):
            throw map(status: response.status, body: response.body, headers: response.headers)
        }
    }

    /// Decodes a success body, mapping failures to ``BetterStackError/undecodableBody(_:)``.
    func decode<T: Decodable>(_ type: T.Type, from response: HTTPTransportResponse, endpoint: String) throws -> T {
        // A monitor's response times, the largest payload, are read straight from the bytes when
        // the strict reader is sure of them (StrictJSON); anything else goes through JSONDecoder.
        if T.self == ResourceDocument<ResponseTimes>.self,
            let times = ResponseTimes.decodeDocument(strict: response.body),
            let document = ResourceDocument(data: times) as? T
        {
            return document
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(response.body))
        } catch {
            let detail = scrubber.scrub(Self.describe(decodingError: error, body: response.body))
            log.debug(
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

    func map(status: Int, body: [UInt8], headers: HTTPTransportHeaders = HTTPTransportHeaders()) -> BetterStackError {
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
            return .rateLimited(
                retryAfter: headers["Retry-After"].flatMap {
                    RetryAfter.parse($0, nowMilliseconds: pipeline.nowMilliseconds())
                })
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
}
