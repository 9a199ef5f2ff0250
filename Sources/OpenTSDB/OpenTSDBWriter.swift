import Logging
import UpstreamHTTP

/// Writes datapoints to an OpenTSDB `/api/put` receiver (OpenTSDB, VictoriaMetrics, InfluxDB
/// 1.x, …) in batches of at most 50.
///
/// Each request is repeated with backoff on 5xx, 408, 429 and connection failures, up to the
/// configured attempts. A 2xx answer, or a 400 with a `details` body, acknowledges the whole
/// batch: every point is then stored or definitively refused, and the refused ones are named.
///
/// Repeating a put after a timeout may store a batch twice on receivers without deduplication;
/// the points are identical (same series, timestamp and value), which OpenTSDB and InfluxDB
/// store once.
public struct OpenTSDBWriter: Sendable {
    /// The configuration in force.
    public let configuration: OpenTSDBConfiguration
    private let pipeline: UpstreamPipeline
    private let logger: Logger

    /// A writer; throws ``OpenTSDBError/invalidConfiguration(_:)`` for a configuration that cannot work.
    public init(
        configuration: OpenTSDBConfiguration,
        transport: any HTTPTransport = AsyncHTTPClientTransport.push,
        sleep: @escaping UpstreamSleep = UpstreamPipeline.taskSleep,
        logger: Logger
    ) throws(OpenTSDBError) {
        if let problem = configuration.problems.first { throw .invalidConfiguration(problem) }
        self.configuration = configuration
        pipeline = UpstreamPipeline(
            transport: transport,
            policy: configuration.retry,
            sleep: sleep,
            logger: logger,
            secrets: configuration.authorization.map { [$0] } ?? []
        )
        self.logger = logger
    }

    /// Splits `points` into those that can be sent and those refused before sending.
    public func validate(_ points: [DataPoint]) -> (valid: [DataPoint], rejected: [RejectedPoint]) {
        var valid: [DataPoint] = []
        var rejected: [RejectedPoint] = []
        valid.reserveCapacity(points.count)
        for point in points {
            let problems = point.problems(maxTags: configuration.maxTags)
            if problems.isEmpty {
                valid.append(point)
            } else {
                rejected.append(
                    RejectedPoint(
                        point: point,
                        reason: problems.map(\.description).joined(separator: "; "),
                        origin: .validation
                    )
                )
            }
        }
        return (valid, rejected)
    }

    /// Validates, batches and sends `points` in order; returns once every batch is acknowledged.
    ///
    /// Throws ``OpenTSDBError`` (unreachable, HTTP status) at the first batch that is not, or
    /// `CancellationError`. Batches before it were delivered.
    public func write(_ points: [DataPoint]) async throws -> WriteSummary {
        let (valid, rejected) = validate(points)
        var summary = WriteSummary()
        summary.rejected = rejected
        for start in stride(from: 0, to: valid.count, by: configuration.batchSize) {
            let batch = Array(valid[start..<min(start + configuration.batchSize, valid.count)])
            let outcome = try await send(batch: batch)
            summary.sent += batch.count
            summary.accepted += outcome.accepted
            summary.rejected += outcome.rejected
            summary.unidentifiedRejections += outcome.unidentifiedRejections
            summary.batches += 1
        }
        return summary
    }

    /// Sends one batch (at most ``OpenTSDBConfiguration/batchSize`` points, not validated again)
    /// and waits for its acknowledgement, retrying as configured.
    ///
    /// Throws ``OpenTSDBError`` or `CancellationError`.
    public func send(batch: [DataPoint]) async throws -> BatchOutcome {
        precondition(batch.count <= configuration.batchSize, "batch larger than the configured size")
        guard !batch.isEmpty else {
            return BatchOutcome(
                points: [],
                accepted: 0,
                rejected: [],
                unidentifiedRejections: 0,
                status: 0,
                attempts: 0
            )
        }
        var headers: HTTPTransportHeaders = [("Content-Type", "application/json"), ("Accept", "application/json")]
        if let authorization = configuration.authorization {
            headers.add(name: "Authorization", value: authorization.reveal())
        }
        let request = HTTPTransportRequest(
            method: "POST",
            url: configuration.putURL,
            headers: headers,
            body: PutBody.encode(batch),
            timeout: configuration.timeout,
            maxResponseBytes: 1 << 20
        )
        let displayURL = configuration.baseURL.appending(configuration.putPath)
        // Retried on connection failures, 5xx, 408 and 429 (configuration.retry); a 2xx, or a 400
        // with details, acknowledges the batch.
        let result = try await pipeline.send(request, endpoint: "put")
        switch result.outcome {
        case .failure(let failure):
            throw OpenTSDBError.unreachable(
                url: displayURL,
                reason: pipeline.scrubber.scrub(failure.description),
                attempts: result.attempts
            )
        case .response(let response):
            guard let outcome = Self.acknowledgement(of: response, for: batch, attempts: result.attempts) else {
                throw OpenTSDBError.httpStatus(
                    response.status,
                    bodyExcerpt: pipeline.scrubber.scrub(response.bodyExcerpt()),
                    url: displayURL,
                    attempts: result.attempts
                )
            }
            if outcome.rejectedCount > 0 {
                logger.warning(
                    "receiver refused points",
                    metadata: ["refused": "\(outcome.rejectedCount)", "batch": "\(batch.count)"]
                )
            }
            return outcome
        }
    }

    /// The outcome when `response` acknowledges the batch; `nil` when it does not (retry or fail).
    static func acknowledgement(of response: HTTPTransportResponse, for batch: [DataPoint], attempts: Int) -> BatchOutcome? {
        let details = PutDetails.parse(response.body)
        switch response.status {
        case 200..<300:
            break
        case 400 where details != nil:
            break  // OpenTSDB: some points refused, the others stored.
        default:
            return nil
        }
        var outcome = BatchOutcome(
            points: batch,
            accepted: batch.count,
            rejected: [],
            unidentifiedRejections: 0,
            status: response.status,
            attempts: attempts
        )
        guard let details else { return outcome }
        var matched = Set<Int>()
        for error in details.errors {
            let reason = error.error ?? "refused"
            guard let echo = error.datapoint,
                let index = batch.indices.first(where: { !matched.contains($0) && echo.names(batch[$0]) })
            else { continue }
            matched.insert(index)
            outcome.rejected.append(RejectedPoint(point: batch[index], reason: reason, origin: .receiver))
        }
        // Never trust counts beyond the batch: a confused receiver must not make `sent` negative.
        let failed = min(batch.count, max(details.failed ?? 0, outcome.rejected.count))
        outcome.unidentifiedRejections = failed - outcome.rejected.count
        outcome.accepted = details.success.map { min($0, batch.count) } ?? max(0, batch.count - failed)
        return outcome
    }
}

