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
            json.member("id", heartbeat.id)
            json.member("name", heartbeat.name)
            json.member("status", heartbeat.status.rawValue)
            json.member("up", heartbeat.status == .up ? 1 : 0)
            json.member("period", heartbeat.period)
            json.member("grace", heartbeat.grace)
            json.member("paused", heartbeat.pausedAt != nil || heartbeat.status == .paused)
            json.member("created_at", heartbeat.createdAt)
            if withAvailability {
                json.member("availability", availability[heartbeat.id])
            }
            json.endObject()
        }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 30, freshness: freshness)
    }
}
