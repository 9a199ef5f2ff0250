/// One event received by the Errors ingest, as listed by `GET /_sandbox/errors`.
struct ErrorEnvelopeRecord: Sendable {
    let receivedAt: Int64
    /// The `X-Sentry-Auth` client (`sentry_client=`), as sent.
    let client: String
    /// The event payload as sent.
    let event: JSON

    var json: JSON {
        .object([
            ("received_at", .string(Timestamp.iso8601(receivedAt))), ("client", .string(client)), ("event", event),
        ])
    }
}

/// Better Stack Errors, the Sentry-compatible ingest: `POST /api/{project}/envelope/` with
/// `X-Sentry-Auth: Sentry sentry_key=<key>, …` (Sentry's developer documentation, "Envelopes"
/// and "Authentication"). The body is an envelope: a header line, then items, each an item header
/// line (`{"type": …, "length": N}`) and its payload (`length` bytes, else up to the newline).
/// `event` items are kept; other item types are accepted and ignored. 200 `{"id": <event_id>}`;
/// 401 `{"detail": …}` for a missing or wrong key; 400 `{"detail": …}` for a body that is not
/// an envelope. Stall or fail it with a fault on the route `errors_envelope`.
enum ErrorsIngestRoutes {
    static func table(state: SandboxState) -> [Route] {
        let key = state.configuration.errorsKey
        let authorize: Route.Authorizer = { request in
            guard let header = request.header("X-Sentry-Auth"), sentryKey(header) == key else {
                return .json(.object([("detail", .string("missing or invalid sentry_key"))]), status: 401)
            }
            return nil
        }
        return [
            Route(["POST"], "/api/:project/envelope/", name: .errorsEnvelope, authorize: authorize, handler: ingest),
            Route(["POST"], "/api/:project/envelope", name: .errorsEnvelope, authorize: authorize, handler: ingest),
        ]
    }

    /// `sentry_key` of an `X-Sentry-Auth` value (`Sentry sentry_version=7, sentry_key=…`).
    static func sentryKey(_ header: String) -> String? { field("sentry_key", header) }

    static func field(_ name: String, _ header: String) -> String? {
        var text = Substring(header)
        if text.hasPrefix("Sentry ") { text = text.dropFirst(7) }
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            if pair[0].trimmingSpaces == name { return String(pair[1].trimmingSpaces) }
        }
        return nil
    }

    private static func ingest(_ context: RouteContext) -> SandboxResponse {
        guard let events = parse(context.request.body) else {
            return .json(.object([("detail", .string("invalid envelope"))]), status: 400)
        }
        let now = Timestamp.nowMilliseconds()
        let client = context.request.header("X-Sentry-Auth").flatMap { field("sentry_client", $0) } ?? ""
        context.state.errors.append(contentsOf: events.map { ErrorEnvelopeRecord(receivedAt: now, client: client, event: $0) })
        let id = events.first?["event_id"]?.stringValue ?? ""
        return .json(.object([("id", .string(id))]))
    }

    /// The event payloads of an envelope, or nil when it is not one.
    static func parse(_ body: [UInt8]) -> [JSON]? {
        var index = body.startIndex
        func line() -> ArraySlice<UInt8>? {
            guard index < body.endIndex else { return nil }
            let end = body[index...].firstIndex(of: 0x0A) ?? body.endIndex
            defer { index = min(end + 1, body.endIndex) }
            return body[index..<end]
        }
        guard let header = line(), (try? JSONParser.parse(header))?.objectValue != nil else { return nil }
        var events: [JSON] = []
        while let itemHeaderLine = line() {
            if itemHeaderLine.isEmpty { continue }
            guard let itemHeader = try? JSONParser.parse(itemHeaderLine), itemHeader.objectValue != nil else { return nil }
            let payload: ArraySlice<UInt8>
            if let length = itemHeader["length"]?.intValue {
                guard length >= 0, body.endIndex - index >= length else { return nil }
                payload = body[index..<(index + length)]
                index += length
                if index < body.endIndex, body[index] == 0x0A { index += 1 }
            } else {
                payload = line() ?? []
            }
            if itemHeader["type"]?.stringValue == "event" {
                guard let event = try? JSONParser.parse(payload), event.objectValue != nil else { return nil }
                events.append(event)
            }
        }
        return events
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
