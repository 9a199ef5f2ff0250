import BetterStack
import FastCGIRuntime

/// `GET /heartbeats[?availability=false]` — for Infinity tables. Never includes the heartbeat's
/// ping URL: its path is the secret that lets anyone report the job as healthy.
///
/// `availability` is today's (UTC) availability percent per heartbeat, as `/monitors` gives it for
/// monitors: one cached availability call per heartbeat (at most 8 at once); a heartbeat whose call
/// fails gets `null`; `availability=false` skips those calls.
public enum HeartbeatList {
    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) async throws -> Response {
        let withAvailability = request.queryValue("availability").map { $0 != "false" && $0 != "0" } ?? true
        let data = try context.uptimeData()
        let list = try await data.heartbeats()
        var freshness = [list.freshness]
        var availability: [String: Double] = [:]
        if withAvailability {
            let today = UTCDay(epochMilliseconds: data.now())
            let results = await MonitorList.eachAvailability(list.value.map(\.id)) { id in
                let loaded = try await data.heartbeatAvailability(heartbeatID: id, from: today, to: today)
                return (loaded.value.availability, loaded.freshness)
            }
            availability = results.values
            freshness.append(contentsOf: results.freshness)
        }
        var json = JSONWriter(capacity: 192 * list.value.count + 16)
        json.beginArray()
        for heartbeat in list.value {
            json.beginObject()
            json.key("id")
            json.string(heartbeat.id)
            json.key("name")
            MonitorList.nullable(&json, heartbeat.name)
            json.key("status")
            json.string(heartbeat.status.rawValue)
            json.key("up")
            json.int(heartbeat.status == .up ? 1 : 0)
            json.key("period")
            if let p = heartbeat.period { json.int(p) } else { json.null() }
            json.key("grace")
            if let g = heartbeat.grace { json.int(g) } else { json.null() }
            json.key("paused")
            json.bool(heartbeat.pausedAt != nil || heartbeat.status == .paused)
            json.key("created_at")
            if let at = heartbeat.createdAt { json.int(at) } else { json.null() }
            if withAvailability {
                json.key("availability")
                if let value = availability[heartbeat.id] { json.double(value) } else { json.null() }
            }
            json.endObject()
        }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 30, freshness: freshness)
    }
}
