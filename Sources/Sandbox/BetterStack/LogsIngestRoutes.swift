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

/// Better Stack Logs HTTP ingestion: `POST /` (and the alias `POST /_logs`) with the source
/// token; one JSON object, a JSON array of objects, or NDJSON. 202 with no body on success,
/// 403 `Unauthorized` for a bad token, 406 `Couldn't parse JSON content.` otherwise (plain text,
/// as upstream). msgpack is not decoded here: it gets 415.
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
        if let type = context.request.header("Content-Type"), type.lowercased().contains("msgpack") {
            return .text("The sandbox does not decode msgpack; send JSON or NDJSON.", status: 415)
        }
        guard let records = parse(context.request.body) else {
            return .text("Couldn't parse JSON content.", status: 406)
        }
        let now = Timestamp.nowMilliseconds()
        context.state.logs.append(contentsOf: records.map { LogRecord(receivedAt: now, record: $0) })
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
