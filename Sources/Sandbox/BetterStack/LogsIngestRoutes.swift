/// One received log record, as listed by `GET /_sandbox/logs`.
struct LogRecord: Sendable {
    /// Wall-clock receive time.
    let receivedAt: Int64
    /// The event as sent (its `dt`, if any, is left as the client wrote it).
    let record: JSON

    var json: JSON {
        .object([("received_at", .string(Timestamp.iso8601(receivedAt))), ("record", record)])
    }
}

/// How the Logs ingest requests went, for `GET /_sandbox/logs`: tests prove with it that a
/// client splits its batches (every request under the limit, none answered 413).
final class LogsIngestCounters: Sendable {
    private struct Counts {
        var requests = 0
        var accepted = 0
        var tooLarge = 0
        var largestBody = 0
    }

    private let counts = Locked(Counts())

    /// One request that reached the ingest handler, with its body size.
    func record(bodyBytes: Int, accepted: Bool) {
        counts.withLock { counts in
            counts.requests += 1
            if accepted { counts.accepted += 1 }
            counts.largestBody = max(counts.largestBody, bodyBytes)
        }
    }

    /// One request refused with 413 before its body was read whole.
    func recordTooLarge() {
        counts.withLock { counts in
            counts.requests += 1
            counts.tooLarge += 1
        }
    }

    func clear() {
        counts.withLock { $0 = Counts() }
    }

    /// `"requests"`, `"accepted"` (202), `"too_large"` (413) and `"largest_request_bytes"` (of
    /// the bodies read whole, so at most the configured limit).
    var members: [(String, JSON)] {
        let counts = counts.withLock { $0 }
        return [
            ("requests", .int(counts.requests)),
            ("accepted", .int(counts.accepted)),
            ("too_large", .int(counts.tooLarge)),
            ("largest_request_bytes", .int(counts.largestBody)),
        ]
    }
}

/// Better Stack Logs HTTP ingestion: `POST /` (and the alias `POST /_logs`) with the source
/// token; one JSON object, a JSON array of objects, or NDJSON. 202 with no body on success,
/// 403 `Unauthorized` for a bad token, 406 `Couldn't parse JSON content.` otherwise (plain text,
/// as upstream). msgpack is not decoded here: it gets 415. A body over
/// ``SandboxConfiguration/maxBodyBytes`` (default 10 MiB, upstream's documented limit) is answered
/// 413 `payload reached size limit` by the HTTP handler before it gets here.
enum LogsIngestRoutes {
    static func table(state: SandboxState) -> [Route] {
        let token = state.configuration.logsToken
        let authorize: Route.Authorizer = { request in
            request.bearerToken == token ? nil : .text("Unauthorized", status: 403)
        }
        return [
            Route(["POST"], "/", name: .logsIngest, authorize: authorize, handler: ingest),
            Route(["POST"], "/_logs", name: .logsIngest, authorize: authorize, handler: ingest),
        ]
    }

    private static func ingest(_ context: RouteContext) -> SandboxResponse {
        let size = context.request.body.count
        if let type = context.request.header("Content-Type"), type.lowercased().contains("msgpack") {
            context.state.logsIngest.record(bodyBytes: size, accepted: false)
            return .text("The sandbox does not decode msgpack; send JSON or NDJSON.", status: 415)
        }
        guard let records = parse(context.request.body) else {
            context.state.logsIngest.record(bodyBytes: size, accepted: false)
            return .text("Couldn't parse JSON content.", status: 406)
        }
        let now = Timestamp.nowMilliseconds()
        context.state.logs.append(contentsOf: records.map { LogRecord(receivedAt: now, record: $0) })
        context.state.logsIngest.record(bodyBytes: size, accepted: true)
        return SandboxResponse(status: 202)
    }

    /// The events in a body, or `nil` when it is neither JSON nor NDJSON of objects.
    static func parse(_ body: [UInt8]) -> [JSON]? {
        if let whole = try? JSONParser.parse(body) {
            switch whole {
            case .object: return [whole]
            case .array(let elements) where elements.allSatisfy({ $0.objectValue != nil }): return elements
            default: return nil
            }
        }
        var records: [JSON] = []
        for line in body.split(separator: UInt8(ascii: "\n")) {
            let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...]
            if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            guard let record = try? JSONParser.parse(trimmed), record.objectValue != nil else { return nil }
            records.append(record)
        }
        return records.isEmpty ? nil : records
    }
}
