import BetterStack
import FastCGIRuntime

/// `GET /incidents?from=&to=&url=|monitor_id=|name=&resolved=true|false` — for Infinity tables and
/// Grafana annotations: `started_at`/`resolved_at` as epoch ms (null while open), duration in seconds.
/// Without a range, the last 7 days.
public enum IncidentList {
    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) async throws -> Response {
        let range = try TimeParameter.range(of: request)
        let resolved: Bool?
        switch request.queryValue("resolved") {
        case nil, "": resolved = nil
        case "true", "1": resolved = true
        case "false", "0": resolved = false
        case let other?: throw HTTPError(400, "resolved must be true or false", extra: [("resolved", .string(other))])
        }
        let data = try context.uptimeData()
        var freshness: [TTLCacheFreshness] = []
        var monitorID: String? = nil
        var names: [String: String] = [:]
        let list = try await data.monitors()
        freshness.append(list.freshness)
        for monitor in list.value { names[monitor.id] = monitor.pronounceableName }
        if request.queryValue("monitor_id") != nil || request.queryValue("url") != nil || request.queryValue("name") != nil {
            let selector = try RequestParameters.monitorSelector(request)
            let (monitor, _) = try await data.monitor(selector)
            monitorID = monitor.id
        }
        let now = data.now()
        let to = range.to ?? now
        let from = range.from ?? (to - 7 * 86_400_000)
        let incidents = try await data.incidents(
            from: UTCDay(epochMilliseconds: from),
            to: UTCDay(epochMilliseconds: to),
            monitorID: monitorID
        )
        freshness.append(incidents.freshness)

        var json = JSONWriter(capacity: 512 * incidents.value.count + 16)
        json.beginArray()
        for incident in incidents.value {
            if let resolved, incident.isOpen == resolved { continue }
            write(incident, monitorName: incident.monitorID.flatMap { names[$0] }, now: now, into: &json)
        }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 30, freshness: freshness)
    }

    static func write(_ incident: Incident, monitorName: String?, now: Int64, into json: inout JSONWriter) {
        json.beginObject()
        json.member("id", incident.id)
        json.member("name", incident.name)
        json.member("monitor_id", incident.monitorID)
        json.member("monitor", monitorName ?? incident.name)
        json.member("url", incident.url)
        json.member("cause", incident.cause)
        json.member("status", incident.status.rawValue)
        json.member("open", incident.isOpen)
        json.member("started_at", incident.startedAt)
        json.member("acknowledged_at", incident.acknowledgedAt)
        json.member("resolved_at", incident.resolvedAt)
        json.member("duration_seconds", incident.startedAt.map { start in ((incident.resolvedAt ?? now) - start) / 1000 })
        json.member("regions", incident.regions.joined(separator: ","))
        json.endObject()
    }
}
