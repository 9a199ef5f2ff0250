import BetterStack
import FastCGIRuntime

/// `POST /annotations` (SimpleJSON; the JSON datasource uses `/query` with the `incidents` metric).
/// The annotation's query is a target such as `incidents{monitor="Example homepage"}`; any other text
/// filters incidents whose title contains it (case-insensitive), and an empty query takes them all.
/// Every incident in the range becomes a region from its start to its resolution.
public enum Annotations {
    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) async throws -> Response {
        let body = try JSONValue.parse(request.body)
        let (from, to) = try QueryRequest.range(body)
        let annotation = body["annotation"] ?? .object([:])
        // The annotation object is echoed into every event: bounded before any work.
        let echo = try echoBytes(annotation)
        let queryText = annotation["query"]?.string?.trimmingSpaces ?? ""
        var target = Target(metric: "incidents")
        var textFilter: String? = nil
        if queryText.hasPrefix("incidents") {
            target = try Target.parse(queryText)
            guard target.metric == "incidents" else {
                throw HTTPError(400, "annotation queries use the incidents metric, e.g. incidents{monitor=\"…\"}")
            }
        } else if !queryText.isEmpty {
            textFilter = queryText.lowercased()
        }
        let data = try context.uptimeData()
        var events = try await IncidentEvents.load(target, from: from, to: to, filters: [], data: data)
        if let textFilter { events.events.removeAll { !$0.title.lowercased().contains(textFilter) } }
        // Events depend on the data: at most what fits limits.max_points and, with the echo in
        // every event, limits.max_answer_bytes; the most recent are kept and the answer says so.
        let limits = context.services.settings.limits
        let fitting = min(limits.maxPoints, limits.maxAnswerBytes / (1024 + echo.count))
        var truncated = false
        if events.events.count > fitting {
            events.events.removeFirst(events.events.count - fitting)
            truncated = true
        }

        var json = JSONWriter(capacity: 512 * events.events.count + 16)
        json.beginArray()
        for event in events.events {
            json.beginObject()
            json.key("annotation")
            json.raw(echo)
            json.member("time", event.start)
            json.member("timeEnd", event.end)
            json.member("isRegion", true)
            json.member("title", event.title)
            json.member("text", event.text)
            json.key("tags")
            json.beginArray()
            for tag in event.tags { json.string(tag) }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        var response = FunctionResponse.json(json.bytes, maxAge: 30, freshness: events.freshness)
        if truncated { response.headers.set("X-Uptime-Bridge-Truncated", "true") }
        return response
    }

    /// Bytes of the echoed annotation object, at most ``maxEchoBytes``.
    static let maxEchoBytes = 2048

    static func echoBytes(_ annotation: JSONValue) throws(HTTPError) -> [UInt8] {
        var json = JSONWriter(capacity: 256)
        writeEcho(annotation, into: &json)
        guard json.bytes.count <= maxEchoBytes else {
            throw HTTPError(
                400,
                "the annotation object's scalar fields exceed \(maxEchoBytes) bytes",
                extra: [("limit_bytes", .int(Int64(maxEchoBytes)))]
            )
        }
        return json.bytes
    }

    /// Echoes the request's `annotation` object (scalar fields only) as SimpleJSON expects.
    static func writeEcho(_ annotation: JSONValue, into json: inout JSONWriter) {
        json.beginObject()
        for (key, value) in (annotation.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            switch value {
            case .string(let s):
                json.member(key, s)
            case .bool(let b):
                json.member(key, b)
            case .number(let n):
                json.member(key, n)
            default:
                continue
            }
        }
        json.endObject()
    }
}
